#pragma once
// A program run by a test, with stdout and stderr in a log file the test can read.
// The destructor makes sure the child never outlives the test.
#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace storeq::test {

class ChildProcess {
public:
    // Output is appended to log_path (a restarted program keeps its earlier log).
    // argv[0] is the program (a path, or a name looked up in PATH). Throws
    // std::runtime_error when the process cannot be started.
    ChildProcess(std::vector<std::string> argv, std::string log_path,
                 std::map<std::string, std::string> extra_env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    void kill(int signal);
    // The exit code, or 128 + signal when a signal ended it; nullopt on timeout.
    std::optional<int> wait_exit(int timeout_ms);
    std::string log_text() const;
    const std::string& log_path() const { return log_path_; }

private:
    bool reap(int options);

    pid_t pid_ = -1;
    std::string log_path_;
    std::optional<int> exit_code_;
};

// Polls pred every 10 ms until it holds or timeout_ms passes; returns its last value.
// Timeouts here are generous safety nets, never assertions about speed.
bool wait_until(const std::function<bool()>& pred, int timeout_ms);

// Whole file as text; empty when it cannot be read.
std::string read_text_file(const std::string& path);

// The environment that preloads `library` into a child (libfaketime, the power-cut shim).
// Under the dev preset the programs link ASan, whose runtime refuses to start when another
// library is loaded before it ("ASan runtime does not come first"): the check is turned
// off for that child, keeping any ASAN_OPTIONS the tests run with.
std::map<std::string, std::string> preload_env(const std::string& library);

}  // namespace storeq::test
