#pragma once
// Command line of storeq-controller.
#include <string>
#include <vector>

#include "storeq/controller/config.hpp"
#include "storeq/expected.hpp"
#include "storeq/mqtt_credentials.hpp"

namespace storeq::controller {

struct ControllerOptions {
    std::string broker_host = "127.0.0.1";
    int broker_port = 1883;
    std::string store;
    std::string db_path;
    std::string config_path;  // empty: defaults
    std::string tills_text = "1-8";
    bool tills_given = false;
    bool verbose = false;
    bool sim_clock = false;  // --clock sim: time from the simulator's clock topic
    // --unsafe-receipts-without-fsync, for bench/ingest only (not in --help): receipts go
    // out after the commit, with no fsync, to show what the fsync costs. Breaks the
    // delivery guarantee through a power cut (docs/reliability.md).
    bool receipts_without_fsync = false;
    std::string credentials_path;  // --credentials: broker account file; empty: anonymous
    MqttCredentials credentials;   // read from credentials_path by main; empty: anonymous
    // --storage-reserve: room kept beside the database for prompts when the disk fills
    // (storage_reserve.hpp).
    // -1: a twentieth of the disk, at most 8 MiB.
    std::int64_t storage_reserve_bytes = -1;
    bool help = false;  // --help anywhere: the usage, exit 0
};

inline constexpr const char* kControllerUsage =
    "usage: storeq-controller --broker HOST:PORT --store ID --db FILE [--tills LIST] [--config FILE]\n"
    "                         [--clock wall|sim] [--credentials FILE] [--storage-reserve SIZE] [--verbose]\n"
    "       storeq-controller report|provision|backup ... (each with --help)\n"
    "The store controller: stores what the kiosks and lane sensors send and prompts staff to open tills.\n"
    "  --broker HOST:PORT  the store's MQTT broker (required); retried with backoff until it answers\n"
    "  --store ID     the store id in topics, [a-z0-9][a-z0-9-]{0,31} (required)\n"
    "  --db FILE      the store's SQLite database, created if missing; its folder must exist (required)\n"
    "  --tills LIST   tills in opening order, like 1-6 or 3,1,2 (default 1-8; overrides the config file)\n"
    "  --config FILE  per-store rule settings (default: none, built-in settings; docs/rules.md)\n"
    "  --clock wall|sim  wall: this machine's clock (default wall); sim: the simulator's clock topic\n"
    "  --credentials FILE  broker account file (username = ..., password = ...; default: anonymous;\n"
    "                 docs/security.md)\n"
    "  --storage-reserve SIZE  room kept on the database's disk for prompts when it fills, like 8M or\n"
    "                 256k (default: a twentieth of the disk, at most 8M; 0: none; docs/reliability.md)\n"
    "  --verbose      log debug lines too (default: info and above)\n"
    "  --help, -h     this text\n"
    "subcommands:\n"
    "  report     the stats of a date range as a table, CSV or JSON; only reads (docs/stats.md)\n"
    "  provision  make broker accounts and the ACL for a store (docs/security.md)\n"
    "  backup     an online copy of the database, safe while the controller runs (docs/reliability.md)\n"
    "exit codes: 0 done (stopped by SIGTERM or SIGINT); 1 failed while running; 2 bad command line,\n"
    "configuration or file, with a sentence naming it (docs/commands.md)\n";

// Shared wording of every storeq-controller command line: "unknown option '--foo'",
// "--db needs a value".
inline Error unknown_option(const std::string& word) { return Error{"", "unknown option '" + word + "'"}; }
inline Error needs_value(const std::string& option) { return Error{"", option + " needs a value"}; }

Expected<ControllerOptions> parse_controller_options(const std::vector<std::string>& args);

// Defaults, then the config file, then --tills: the rule settings this run uses.
Expected<Config> load_config(const ControllerOptions& options);

}  // namespace storeq::controller
