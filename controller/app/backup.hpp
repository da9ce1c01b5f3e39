#pragma once
// `storeq-controller backup --db FILE --to FILE`: an online copy of the store's database
// that a store can schedule (cron, a systemd timer) while the controller runs. The copy
// keeps the database's identity and durable commit count, so a controller started on it
// tells the kiosks what it lacks and they send it again (docs/reliability.md).
#include <string>
#include <vector>

namespace storeq::controller {

inline constexpr const char* kBackupUsage =
    "usage: storeq-controller backup --db FILE --to FILE\n"
    "An online copy of the store's database, safe while the controller runs; only reads --db.\n"
    "  --db FILE   the store's database (the controller may be running on it) (required)\n"
    "  --to FILE   the copy to write; it is written beside as FILE.partial, synced, then renamed\n"
    "              (required; an existing FILE is replaced)\n"
    "  --help, -h  this text\n"
    "exit codes: 0 written; 2 bad command line, or a file that cannot be read or written\n";

// The whole subcommand: arguments after `backup`; returns the exit code (2: bad arguments
// or a file that cannot be read or written, with a sentence naming it).
int run_backup(const std::vector<std::string>& args);

}  // namespace storeq::controller
