#include "postgres_fixture.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "child_process.hpp"
#include "test_broker.hpp"

namespace storeq::test {
namespace {

constexpr int kToolTimeoutMs = 60'000;

std::string bin(const std::string& tool) { return std::string(kPostgresBin) + "/" + tool; }

// As root, a tool runs as `postgres`: initdb and the server refuse to run as root.
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
    if (::geteuid() != 0) return argv;
    std::vector<std::string> wrapped{"runuser", "-u", "postgres", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

void hand_to_postgres(const std::filesystem::path& path) {
    if (::geteuid() != 0) return;
    const passwd* user = ::getpwnam("postgres");
    if (!user) throw std::runtime_error("PostgresFixture: running as root, but there is no user 'postgres'");
    if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
        throw std::runtime_error("PostgresFixture: chown " + path.string() + " failed");
}

}  // namespace

bool PostgresFixture::available() {
    return ::access(bin("initdb").c_str(), X_OK) == 0 && ::access(bin("pg_ctl").c_str(), X_OK) == 0;
}

PostgresFixture::PostgresFixture() {
    // mkdtemp made it 0700 for root: the server's user must reach its data below it.
    ::chmod(dir_.path().c_str(), 0755);
    data_dir_ = dir_.file("data");
    log_path_ = dir_.file("postgres.log");
    std::filesystem::create_directory(data_dir_);
    ::chmod(data_dir_.c_str(), 0700);
    hand_to_postgres(data_dir_);
    // The server's log is written by the server's user.
    { std::FILE* f = std::fopen(log_path_.c_str(), "a"); if (f) std::fclose(f); }
    hand_to_postgres(log_path_);
    run_tool({bin("initdb"), "-D", data_dir_, "-A", "trust", "-U", "storeq", "--no-sync", "-E", "UTF8"}, "initdb");
    port_ = find_free_port();
    start();
}

PostgresFixture::~PostgresFixture() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; the directory goes with the TempDir.
    }
}

void PostgresFixture::run_tool(const std::vector<std::string>& argv, const std::string& what) const {
    ChildProcess tool(as_server_user(argv), dir_.file(what + ".log"));
    const auto code = tool.wait_exit(kToolTimeoutMs);
    if (code != 0)
        throw std::runtime_error("PostgresFixture: " + what + " failed (" + (code ? std::to_string(*code) : "timeout") +
                                 "): " + tool.log_text() + "\n" + log_text());
}

void PostgresFixture::start() {
    if (running_) return;
    // The socket in the data directory (the server's user can write there), TCP on
    // loopback only; fsync off: a test's data need not survive a power cut.
    run_tool({bin("pg_ctl"), "-D", data_dir_, "-l", log_path_, "-w", "-t", "30", "-o",
              "-p " + std::to_string(port_) + " -k " + data_dir_ + " -c listen_addresses=127.0.0.1 -c fsync=off",
              "start"},
             "pg_ctl-start");
    running_ = true;
}

void PostgresFixture::stop() {
    if (!running_) return;
    run_tool({bin("pg_ctl"), "-D", data_dir_, "-m", "fast", "-w", "-t", "30", "stop"}, "pg_ctl-stop");
    running_ = false;
}

std::string PostgresFixture::conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=storeq dbname=postgres connect_timeout=5";
}

std::string PostgresFixture::log_text() const { return read_text_file(log_path_); }

std::string PostgresFixture::psql(const std::string& sql) const {
    const std::string out = dir_.file("psql.out");
    std::filesystem::remove(out);
    ChildProcess tool({"/usr/bin/psql", "-X", "-q", "-At", "-d", conninfo(), "-c", sql}, out);
    const auto code = tool.wait_exit(kToolTimeoutMs);
    std::string text = read_text_file(out);
    if (code != 0) throw std::runtime_error("psql failed: " + text);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace storeq::test
