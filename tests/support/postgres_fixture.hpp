#pragma once
// A private PostgreSQL 15 on a free loopback port, for one test (docs/toolchain.md):
// initdb (trust, superuser `storeq`, no fsync), pg_ctl start/stop. As root the server runs
// as user `postgres` (PostgreSQL refuses root), its directory handed to that user.
// stop() and start() keep the data and the port, so a test can restart it under a
// connected storeq-hq.
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace storeq::test {

inline constexpr const char* kPostgresBin = "/usr/lib/postgresql/15/bin";

class PostgresFixture {
public:
    // False when PostgreSQL 15's binaries are not installed (the test skips).
    static bool available();

    // initdb and start; throws std::runtime_error with the server's log when it fails.
    PostgresFixture();
    ~PostgresFixture();
    PostgresFixture(const PostgresFixture&) = delete;
    PostgresFixture& operator=(const PostgresFixture&) = delete;

    void start();  // no-op while running
    void stop();   // fast shutdown, waits
    void restart() { stop(); start(); }
    bool running() const { return running_; }

    int port() const { return port_; }
    // A libpq connection string for the `postgres` database as `storeq`.
    std::string conninfo() const;
    std::string log_text() const;
    // Runs psql -At -c sql and returns its output (trimmed), for checks.
    std::string psql(const std::string& sql) const;

private:
    void run_tool(const std::vector<std::string>& argv, const std::string& what) const;

    TempDir dir_{"storeq-pg"};
    std::string data_dir_, log_path_;
    int port_ = 0;
    bool running_ = false;
};

}  // namespace storeq::test
