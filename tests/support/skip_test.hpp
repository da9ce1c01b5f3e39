#pragma once
// A Catch2 test that cannot run here (no root to mount a small disk, no second user...)
// must show up as SKIPPED, never as passed: Catch2 2.13 has no skip, so the test process
// ends with kSkipReturnCode, which tests/CMakeLists.txt declares as ctest's
// SKIP_RETURN_CODE for every discovered test. Call it before the test starts anything
// (brokers, children, temporary directories): the process ends here, destructors do not
// run.
//
// The reason goes to stdout and, when STOREQ_SKIP_LOG names a file, is appended there as
// one line "test name<TAB>reason": scripts/test prints that list after ctest.
//
// Include after <catch2/catch.hpp> (only Catch2 tests use it; the support library itself
// has no Catch2).
#include <cstdio>
#include <cstdlib>
#include <string>

namespace storeq::test {

inline constexpr int kSkipReturnCode = 77;

[[noreturn]] inline void skip_test(const std::string& why) {
    const std::string name = Catch::getResultCapture().getCurrentTestName();
    std::printf("SKIPPED: %s: %s\n", name.c_str(), why.c_str());
    std::fflush(stdout);
    if (const char* log = std::getenv("STOREQ_SKIP_LOG"); log && *log) {
        if (std::FILE* file = std::fopen(log, "a")) {
            std::fprintf(file, "%s\t%s\n", name.c_str(), why.c_str());
            std::fclose(file);
        }
    }
    std::_Exit(kSkipReturnCode);  // not exit(): Catch2's atexit handlers would report a pass
}

}  // namespace storeq::test
