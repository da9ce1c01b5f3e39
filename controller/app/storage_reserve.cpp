#include "storage_reserve.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace storeq::controller {

bool StorageReserve::ensure() {
    if (held_ || bytes_ == 0) return held_ = true;
    const std::string dir = std::filesystem::path(path_).parent_path().empty()
                                ? std::string(".")
                                : std::filesystem::path(path_).parent_path().string();
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) return false;
    if (bytes_ < 0) {
        constexpr std::int64_t kMaxAuto = 8LL * 1024 * 1024;
        const auto size = static_cast<std::int64_t>(fs.f_blocks) * static_cast<std::int64_t>(fs.f_frsize);
        bytes_ = std::max<std::int64_t>(4096, std::min(kMaxAuto, size / 20));
    }
    const auto free_bytes = static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
    if (free_bytes < 2 * bytes_) return false;
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    // Allocated, not sparse: the blocks are really taken from the file system.
    const bool allocated = ::posix_fallocate(fd, 0, bytes_) == 0;
    ::close(fd);
    if (!allocated) {
        ::unlink(path_.c_str());
        return false;
    }
    return held_ = true;
}

void StorageReserve::release() {
    if (bytes_ > 0) ::unlink(path_.c_str());
    held_ = false;
}

}  // namespace storeq::controller
