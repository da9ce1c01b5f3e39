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
    std::string credentials_path;  // --credentials: broker account file; empty: anonymous
    MqttCredentials credentials;   // read from credentials_path by main; empty: anonymous
    // --storage-reserve: room kept beside the database for prompts when the disk fills
    // (storage_reserve.hpp).
    // -1: a twentieth of the disk, at most 8 MiB.
    std::int64_t storage_reserve_bytes = -1;
};

inline constexpr const char* kControllerUsage =
    "usage: storeq-controller --broker HOST:PORT --store ID --db FILE [--tills LIST] [--config FILE]\n"
    "                         [--clock wall|sim] [--credentials FILE] [--verbose]\n"
    "       storeq-controller provision --config STORE.conf --store ID --out DIR\n"
    "       storeq-controller report --db FILE --from DATE --to DATE [...] (docs/stats.md)\n"
    "       storeq-controller backup --db FILE --to FILE\n"
    "  --tills    tills in opening order, like 1-6 or 3,1,2 (default 1-8; overrides the config file)\n"
    "  --config   per-store rule settings (see docs/rules.md)\n"
    "  --clock    wall (default) or sim: take time from the simulator's clock topic\n"
    "  --credentials  broker account file (username = ..., password = ...; see docs/security.md)\n"
    "  --storage-reserve  room kept on the database's disk for prompts when it fills, like 8M or 256k\n"
    "             (default: a twentieth of the disk, at most 8M; 0: none; see docs/reliability.md)\n"
    "  provision  make broker accounts and the ACL for a store (docs/security.md)\n"
    "  backup     an online copy of the database, safe while the controller runs (docs/reliability.md)\n";

Expected<ControllerOptions> parse_controller_options(const std::vector<std::string>& args);

// Defaults, then the config file, then --tills: the rule settings this run uses.
Expected<Config> load_config(const ControllerOptions& options);

}  // namespace storeq::controller
