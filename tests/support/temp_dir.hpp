#pragma once
// A fresh directory under /tmp, removed with everything in it when the object dies.
#include <filesystem>
#include <string>

namespace storeq::test {

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "storeq-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    // path() / name, as a string for C APIs.
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

}  // namespace storeq::test
