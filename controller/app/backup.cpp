#include "backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "controller_options.hpp"
#include "database_check.hpp"
#include "storeq/sqlite_db.hpp"

namespace storeq::controller {
namespace {

int refuse(const std::string& why) {
    std::fprintf(stderr, "storeq-controller backup: %s\n%s", why.c_str(), kBackupUsage);
    return 2;
}

// A copy a power cut cannot leave half-written under the final name: its bytes and then
// the rename are on disk before we say "done".
bool sync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) return false;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

}  // namespace

int run_backup(const std::vector<std::string>& args) {
    std::string db_path, to_path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            std::fputs(kBackupUsage, stdout);
            return 0;
        }
        if (arg != "--db" && arg != "--to") return refuse(unknown_option(arg).what);
        // The wording tests/integration/receipts_test.cpp checks, with the shared one.
        if (i + 1 >= args.size()) return refuse("incomplete argument '" + arg + "': " + needs_value(arg).what);
        (arg == "--db" ? db_path : to_path) = args[++i];
    }
    if (db_path.empty() || to_path.empty()) return refuse("both --db and --to are needed");
    std::error_code ec;
    if (!std::filesystem::exists(db_path, ec)) return refuse("no database at " + db_path);
    if (auto storeq = check_storeq_file(db_path); !storeq) return refuse(storeq.error().to_string());
    if (std::filesystem::equivalent(db_path, to_path, ec)) return refuse("--to is the database itself");

    // Read-only, writing nothing beside the database (Database::open_read_only): the copy is
    // one read transaction, consistent while the controller writes.
    auto db = Database::open_read_only(db_path);
    if (!db) return refuse("cannot open " + db_path + ": " + db.error().to_string());
    if (auto storeq = check_storeq_schema(*db, db_path); !storeq) return refuse(storeq.error().to_string());
    const std::string partial = to_path + ".partial";
    std::filesystem::remove(partial, ec);
    if (auto copied = db->backup_to(partial); !copied) {
        std::filesystem::remove(partial, ec);
        return refuse("cannot write " + partial + ": " + copied.error().to_string());
    }
    if (!sync_path(partial, O_RDONLY)) return refuse("cannot sync " + partial);
    std::filesystem::rename(partial, to_path, ec);
    if (ec) return refuse("cannot rename " + partial + " to " + to_path + ": " + ec.message());
    const auto dir = std::filesystem::absolute(to_path).parent_path().string();
    (void)sync_path(dir, O_RDONLY | O_DIRECTORY);
    std::printf("backup of %s written to %s\n", db_path.c_str(), to_path.c_str());
    return 0;
}

}  // namespace storeq::controller
