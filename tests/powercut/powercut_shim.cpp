// LD_PRELOAD shim that makes a power cut real for a process tree (docs/reliability.md,
// "Power cuts, simulated"). For every regular file under $STOREQ_POWERCUT_DIR it keeps
// what was last made durable: on fsync(fd) or fdatasync(fd) the file's whole content (as
// the kernel has it then) is copied to $STOREQ_POWERCUT_SHADOW/<relative path>.powercut-durable
// (written to a temporary file, then renamed: a process killed mid-copy leaves the
// previous durable content, as a power cut during an fsync). The cut itself is done by
// the test after SIGKILLing every process (tests/powercut/power_cut.hpp): each file is
// replaced by its shadow, and a file without one (never fsynced since it was created) is
// removed.
//
// Environment:
//   STOREQ_POWERCUT_DIR           the directory whose files lose power (unset: the shim does nothing)
//   STOREQ_POWERCUT_SHADOW        where the durable copies go (default: "$STOREQ_POWERCUT_DIR.powercut")
//   STOREQ_POWERCUT_IGNORE_FSYNC  1: fsync/fdatasync of those files are no-ops (a program that forgot them)
//   STOREQ_POWERCUT_FREEZE_AT     N: at this process's N-th fsync of such a file, before it is
//                                 durable, write <shadow>/frozen.<pid> and stop (SIGSTOP), so the
//                                 test can cut the power during that commit
//
// Model (simplifications, see docs/reliability.md):
//   - durable = content at the last fsync/fdatasync of that file; sync_file_range, msync,
//     O_SYNC writes and sync()/syncfs() make nothing durable (none is used by SQLite or
//     mosquitto here; the shim warns on stderr when sync()/syncfs()/O_SYNC are used);
//   - directory entries are always durable: a rename or unlink is durable at once (no
//     directory fsync needed), the renamed file carries its durable content with it;
//     fsync of a directory passes through and records nothing.
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

namespace {

template <typename F>
F next_symbol(const char* name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

using open_fn = int (*)(const char*, int, ...);
using openat_fn = int (*)(int, const char*, int, ...);
using fd_fn = int (*)(int);
using rename_fn = int (*)(const char*, const char*);
using renameat_fn = int (*)(int, const char*, int, const char*);
using renameat2_fn = int (*)(int, const char*, int, const char*, unsigned int);
using unlink_fn = int (*)(const char*);
using unlinkat_fn = int (*)(int, const char*, int);
using sync_fn = void (*)();

struct Real {
    open_fn open = next_symbol<open_fn>("open");
    open_fn open64 = next_symbol<open_fn>("open64");
    openat_fn openat = next_symbol<openat_fn>("openat");
    openat_fn openat64 = next_symbol<openat_fn>("openat64");
    fd_fn close = next_symbol<fd_fn>("close");
    fd_fn fsync = next_symbol<fd_fn>("fsync");
    fd_fn fdatasync = next_symbol<fd_fn>("fdatasync");
    fd_fn syncfs = next_symbol<fd_fn>("syncfs");
    sync_fn sync = next_symbol<sync_fn>("sync");
    rename_fn rename = next_symbol<rename_fn>("rename");
    renameat_fn renameat = next_symbol<renameat_fn>("renameat");
    renameat2_fn renameat2 = next_symbol<renameat2_fn>("renameat2");
    unlink_fn unlink = next_symbol<unlink_fn>("unlink");
    unlinkat_fn unlinkat = next_symbol<unlinkat_fn>("unlinkat");
};

const Real& real() {
    static const Real r;
    return r;
}

struct Config {
    std::string dir;     // canonical, no trailing slash; empty: shim inactive
    std::string shadow;  // canonical, no trailing slash
    bool ignore_fsync = false;
    long freeze_at = 0;
};

std::string canonical_dir(const char* path) {
    char resolved[PATH_MAX];
    if (!path || !*path || !::realpath(path, resolved)) return {};
    return resolved;
}

void make_dirs(const std::string& path) {
    for (std::size_t slash = path.find('/', 1); ; slash = path.find('/', slash + 1)) {
        ::mkdir(path.substr(0, slash).c_str(), 0755);
        if (slash == std::string::npos) break;
    }
}

const Config& config() {
    static const Config c = [] {
        Config made;
        made.dir = canonical_dir(std::getenv("STOREQ_POWERCUT_DIR"));
        if (made.dir.empty()) return made;
        const char* shadow = std::getenv("STOREQ_POWERCUT_SHADOW");
        const std::string wanted = shadow && *shadow ? shadow : made.dir + ".powercut";
        make_dirs(wanted);
        made.shadow = canonical_dir(wanted.c_str());
        if (made.shadow.empty()) made.dir.clear();
        const char* ignore = std::getenv("STOREQ_POWERCUT_IGNORE_FSYNC");
        made.ignore_fsync = ignore && std::strcmp(ignore, "1") == 0;
        if (const char* freeze = std::getenv("STOREQ_POWERCUT_FREEZE_AT")) made.freeze_at = std::atol(freeze);
        return made;
    }();
    return c;
}

std::string fd_path(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[PATH_MAX];
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n <= 0) return {};
    return std::string(target, static_cast<std::size_t>(n));
}

// An absolute path with its directory resolved (symlinks, "//", "."), or empty.
std::string absolute(int dirfd, const char* path) {
    if (!path || !*path) return {};
    std::string full;
    if (path[0] == '/') {
        full = path;
    } else {
        std::string base;
        if (dirfd == AT_FDCWD) {
            char cwd[PATH_MAX];
            if (!::getcwd(cwd, sizeof cwd)) return {};
            base = cwd;
        } else {
            base = fd_path(dirfd);
        }
        if (base.empty()) return {};
        full = base + "/" + path;
    }
    while (full.size() > 1 && full.back() == '/') full.pop_back();
    const auto slash = full.rfind('/');
    const std::string name = full.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") return {};
    const std::string parent = canonical_dir(slash == 0 ? "/" : full.substr(0, slash).c_str());
    if (parent.empty()) return {};
    return (parent == "/" ? "" : parent) + "/" + name;
}

// The path relative to the cut directory, or empty when the file is not under it.
std::string relative(const std::string& path) {
    const Config& c = config();
    if (c.dir.empty() || path.size() <= c.dir.size() + 1) return {};
    if (path.compare(0, c.dir.size(), c.dir) != 0 || path[c.dir.size()] != '/') return {};
    return path.substr(c.dir.size() + 1);
}

std::string shadow_of(const std::string& rel) { return config().shadow + "/" + rel + ".powercut-durable"; }

struct Known {
    std::string rel;
    dev_t dev;
    ino_t ino;
};

std::mutex& table_mutex() {
    static std::mutex m;
    return m;
}
std::unordered_map<int, Known>& table() {
    static std::unordered_map<int, Known> t;
    return t;
}

void learn(int fd, int dirfd, const char* path, int flags) {
    if (fd < 0 || config().dir.empty()) return;
    const std::string rel = relative(absolute(dirfd, path));
    if (rel.empty()) return;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    if (flags & (O_SYNC | O_DSYNC))
        std::fprintf(stderr, "powercut: %s opened with O_SYNC/O_DSYNC: its writes are not modeled as durable\n",
                     rel.c_str());
    std::lock_guard<std::mutex> lock(table_mutex());
    table()[fd] = Known{rel, st.st_dev, st.st_ino};
}

void forget(int fd) {
    if (config().dir.empty()) return;
    std::lock_guard<std::mutex> lock(table_mutex());
    table().erase(fd);
}

// The cut-directory path of a regular file open on fd, or empty.
std::string rel_of_fd(int fd) {
    if (config().dir.empty()) return {};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return {};
    {
        std::lock_guard<std::mutex> lock(table_mutex());
        auto it = table().find(fd);
        if (it != table().end() && it->second.dev == st.st_dev && it->second.ino == st.st_ino) return it->second.rel;
    }
    // Opened through a call the shim does not see (fopen inside libc, dup): ask the kernel.
    std::string path = fd_path(fd);
    if (path.empty() || path.find(" (deleted)") != std::string::npos) return {};
    return relative(path);
}

void append_log(const std::string& line) {
    const std::string path = config().shadow + "/fsync.log";
    const int fd = real().open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    (void)!::write(fd, line.data(), line.size());
    real().close(fd);
}

std::mutex& snapshot_mutex() {
    static std::mutex m;
    return m;
}

// Copies what the kernel holds for fd now into the file's shadow, atomically.
void snapshot(int fd, const std::string& rel) {
    std::lock_guard<std::mutex> lock(snapshot_mutex());
    const std::string shadow = shadow_of(rel);
    make_dirs(shadow.substr(0, shadow.rfind('/')));
    static std::atomic<unsigned long> counter{0};
    const std::string tmp = shadow + ".tmp." + std::to_string(::getpid()) + "." +
                            std::to_string(static_cast<long>(::syscall(SYS_gettid))) + "." +
                            std::to_string(counter++);
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const int in = real().open(link, O_RDONLY | O_CLOEXEC);
    const int out = real().open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = in >= 0 && out >= 0;
    static thread_local char buffer[1 << 16];
    while (ok) {
        const ssize_t n = ::read(in, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        for (ssize_t done = 0; ok && done < n;) {
            const ssize_t w = ::write(out, buffer + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno != EINTR) ok = false;
            if (w > 0) done += w;
        }
    }
    if (in >= 0) real().close(in);
    if (out >= 0) real().close(out);
    if (ok && real().rename(tmp.c_str(), shadow.c_str()) == 0) return;
    real().unlink(tmp.c_str());
    std::fprintf(stderr, "powercut: could not record the durable content of %s\n", rel.c_str());
}

int durable_sync(int fd, fd_fn sync_call, const char* what) {
    const int saved = errno;
    const std::string rel = rel_of_fd(fd);
    errno = saved;
    if (rel.empty()) return sync_call(fd);
    const Config& c = config();
    static std::atomic<long> count{0};
    const long nth = ++count;
    if (c.freeze_at > 0 && nth == c.freeze_at) {
        const std::string marker = c.shadow + "/frozen." + std::to_string(::getpid());
        const int m = real().open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m >= 0) {
            (void)!::write(m, rel.data(), rel.size());
            real().close(m);
        }
        ::raise(SIGSTOP);  // the test cuts the power now; a SIGCONT would simply go on
    }
    if (c.ignore_fsync) {
        append_log(std::to_string(::getpid()) + " " + what + " (ignored) " + rel + "\n");
        return 0;
    }
    const int rc = sync_call(fd);
    if (rc != 0) return rc;
    snapshot(fd, rel);
    append_log(std::to_string(::getpid()) + " " + what + " " + rel + "\n");
    errno = saved;
    return 0;
}

// After a successful rename: the destination now holds the source's durable content.
void renamed(int olddirfd, const char* oldpath, int newdirfd, const char* newpath, const std::string& old_abs) {
    const std::string from = relative(old_abs);
    const std::string to = relative(absolute(newdirfd, newpath));
    (void)olddirfd;
    (void)oldpath;
    if (to.empty()) {
        if (!from.empty()) real().unlink(shadow_of(from).c_str());
        return;
    }
    std::lock_guard<std::mutex> lock(snapshot_mutex());
    if (!from.empty() && real().rename(shadow_of(from).c_str(), shadow_of(to).c_str()) == 0) return;
    // The source was never fsynced (or lies outside): the destination has no durable content.
    real().unlink(shadow_of(to).c_str());
}

void unlinked(const std::string& abs) {
    const std::string rel = relative(abs);
    if (rel.empty()) return;
    std::lock_guard<std::mutex> lock(snapshot_mutex());
    real().unlink(shadow_of(rel).c_str());
}

mode_t mode_arg(int flags, va_list args) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? static_cast<mode_t>(va_arg(args, int)) : 0;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int open(const char* path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    const mode_t mode = mode_arg(flags, args);
    va_end(args);
    const int fd = real().open(path, flags, mode);
    const int saved = errno;
    learn(fd, AT_FDCWD, path, flags);
    errno = saved;
    return fd;
}

__attribute__((visibility("default"))) int open64(const char* path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    const mode_t mode = mode_arg(flags, args);
    va_end(args);
    const int fd = real().open64(path, flags, mode);
    const int saved = errno;
    learn(fd, AT_FDCWD, path, flags);
    errno = saved;
    return fd;
}

__attribute__((visibility("default"))) int openat(int dirfd, const char* path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    const mode_t mode = mode_arg(flags, args);
    va_end(args);
    const int fd = real().openat(dirfd, path, flags, mode);
    const int saved = errno;
    learn(fd, dirfd, path, flags);
    errno = saved;
    return fd;
}

__attribute__((visibility("default"))) int openat64(int dirfd, const char* path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    const mode_t mode = mode_arg(flags, args);
    va_end(args);
    const int fd = real().openat64(dirfd, path, flags, mode);
    const int saved = errno;
    learn(fd, dirfd, path, flags);
    errno = saved;
    return fd;
}

__attribute__((visibility("default"))) int close(int fd) {
    forget(fd);
    return real().close(fd);
}

__attribute__((visibility("default"))) int fsync(int fd) { return durable_sync(fd, real().fsync, "fsync"); }

__attribute__((visibility("default"))) int fdatasync(int fd) {
    return durable_sync(fd, real().fdatasync, "fdatasync");
}

__attribute__((visibility("default"))) int syncfs(int fd) {
    if (!config().dir.empty()) std::fprintf(stderr, "powercut: syncfs() is not modeled: nothing made durable\n");
    return real().syncfs(fd);
}

__attribute__((visibility("default"))) void sync() {
    if (!config().dir.empty()) std::fprintf(stderr, "powercut: sync() is not modeled: nothing made durable\n");
    real().sync();
}

__attribute__((visibility("default"))) int rename(const char* oldpath, const char* newpath) {
    const std::string old_abs = config().dir.empty() ? std::string() : absolute(AT_FDCWD, oldpath);
    const int rc = real().rename(oldpath, newpath);
    if (rc == 0 && !config().dir.empty()) {
        const int saved = errno;
        renamed(AT_FDCWD, oldpath, AT_FDCWD, newpath, old_abs);
        errno = saved;
    }
    return rc;
}

__attribute__((visibility("default"))) int renameat(int olddirfd, const char* oldpath, int newdirfd,
                                                    const char* newpath) {
    const std::string old_abs = config().dir.empty() ? std::string() : absolute(olddirfd, oldpath);
    const int rc = real().renameat(olddirfd, oldpath, newdirfd, newpath);
    if (rc == 0 && !config().dir.empty()) {
        const int saved = errno;
        renamed(olddirfd, oldpath, newdirfd, newpath, old_abs);
        errno = saved;
    }
    return rc;
}

__attribute__((visibility("default"))) int renameat2(int olddirfd, const char* oldpath, int newdirfd,
                                                     const char* newpath, unsigned int flags) {
    const std::string old_abs = config().dir.empty() ? std::string() : absolute(olddirfd, oldpath);
    const int rc = real().renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
    if (rc == 0 && !config().dir.empty()) {
        const int saved = errno;
        renamed(olddirfd, oldpath, newdirfd, newpath, old_abs);  // RENAME_EXCHANGE is not modeled
        errno = saved;
    }
    return rc;
}

__attribute__((visibility("default"))) int unlink(const char* path) {
    const std::string abs = config().dir.empty() ? std::string() : absolute(AT_FDCWD, path);
    const int rc = real().unlink(path);
    if (rc == 0 && !abs.empty()) {
        const int saved = errno;
        unlinked(abs);
        errno = saved;
    }
    return rc;
}

__attribute__((visibility("default"))) int unlinkat(int dirfd, const char* path, int flags) {
    const std::string abs = config().dir.empty() || (flags & AT_REMOVEDIR) ? std::string() : absolute(dirfd, path);
    const int rc = real().unlinkat(dirfd, path, flags);
    if (rc == 0 && !abs.empty()) {
        const int saved = errno;
        unlinked(abs);
        errno = saved;
    }
    return rc;
}

}  // extern "C"
