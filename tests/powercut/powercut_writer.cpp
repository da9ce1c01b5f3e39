// The powercut shim's own check (tests/integration/power_cut_test.cpp runs it with the
// shim): in the directory given, it
//   - writes "durable\n" to data.txt, fsyncs, then writes "lost\n" after it;
//   - writes data2.txt with fdatasync, then changes it with sync_file_range only (not durable);
//   - writes never.txt and never fsyncs it;
//   - writes through stdio (fopen) state.new, fflush + fsync, renames it to state
//     (mosquitto's autosave), then writes state.new again without fsync;
//   - fsyncs gone.txt and unlinks it.
// Then it prints "done" and waits to be killed: the test cuts the power.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

namespace {
bool put(int fd, const char* text) { return ::write(fd, text, std::strlen(text)) == static_cast<ssize_t>(std::strlen(text)); }
}

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const std::string dir = argv[1];
    const int data = ::open((dir + "/data.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (data < 0 || !put(data, "durable\n") || ::fsync(data) != 0 || !put(data, "lost\n")) return 1;
    ::close(data);

    const int dirfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    const int data2 = ::openat(dirfd, "data2.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (data2 < 0 || !put(data2, "synced by fdatasync\n") || ::fdatasync(data2) != 0) return 1;
    if (!put(data2, "only sync_file_range\n") ||
        ::sync_file_range(data2, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0)
        return 1;
    if (::fsync(dirfd) != 0) return 1;  // a directory: passes through, records nothing
    ::close(data2);
    ::close(dirfd);

    const int never = ::open((dir + "/never.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (never < 0 || !put(never, "never fsynced\n")) return 1;
    ::close(never);

    std::FILE* state = std::fopen((dir + "/state.new").c_str(), "wb");
    if (!state || std::fputs("autosave 1\n", state) < 0 || std::fflush(state) != 0 || ::fsync(fileno(state)) != 0) return 1;
    std::fclose(state);
    if (std::rename((dir + "/state.new").c_str(), (dir + "/state").c_str()) != 0) return 1;
    state = std::fopen((dir + "/state.new").c_str(), "wb");
    if (!state || std::fputs("autosave 2, no fsync\n", state) < 0) return 1;
    std::fclose(state);

    const int gone = ::open((dir + "/gone.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (gone < 0 || !put(gone, "x\n") || ::fsync(gone) != 0) return 1;
    ::close(gone);
    if (::unlink((dir + "/gone.txt").c_str()) != 0) return 1;

    std::puts("done");
    std::fflush(stdout);
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
}
