#pragma once
// The power cut itself, for tests whose programs run with the powercut shim
// (tests/powercut/powercut_shim.cpp, docs/reliability.md "Power cuts, simulated").
// After the test has SIGKILLed every process that writes under `dir`, cut() rolls every
// file there back to what was last made durable:
//   - a file with a shadow (<shadow>/<relative path>.powercut-durable) gets its content;
//   - a file without one was never fsynced since it was created: it is removed (its
//     directory entry is treated as durable but its data not, and an empty file would
//     be no more honest: SQLite and mosquitto treat both as "no file");
//   - a shadow whose file is gone (removed by a process the shim did not see) is restored;
//   - a half-written shadow (the process died while recording an fsync) is dropped: that
//     fsync did not complete.
// Directories are kept. Header-only, no Catch2.
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "child_process.hpp"

namespace storeq::powercut {

inline constexpr const char* kShadowSuffix = ".powercut-durable";

// Where the shim keeps the durable copies when STOREQ_POWERCUT_SHADOW is not set.
inline std::filesystem::path default_shadow(const std::filesystem::path& dir) {
    return std::filesystem::path(dir.string() + ".powercut");
}

// The environment a program needs to run with the shim on `dir`.
inline std::map<std::string, std::string> shim_env(const std::string& shim_library, const std::filesystem::path& dir,
                                                   bool ignore_fsync = false) {
    std::map<std::string, std::string> env = storeq::test::preload_env(shim_library);
    env["STOREQ_POWERCUT_DIR"] = dir.string();
    env["STOREQ_POWERCUT_SHADOW"] = default_shadow(dir).string();
    if (ignore_fsync) env["STOREQ_POWERCUT_IGNORE_FSYNC"] = "1";
    return env;
}

struct CutResult {
    int restored = 0;  // files given back their durable content
    int removed = 0;   // files that were never durable
    std::vector<std::string> removed_files;  // relative paths, for logs
};

inline bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

inline CutResult cut(const std::filesystem::path& dir, const std::filesystem::path& shadow) {
    namespace fs = std::filesystem;
    CutResult result;
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(entry.path());
    for (const auto& file : files) {
        const fs::path rel = fs::relative(file, dir);
        const fs::path durable = shadow / (rel.string() + kShadowSuffix);
        if (fs::exists(durable)) {
            fs::copy_file(durable, file, fs::copy_options::overwrite_existing);
            ++result.restored;
        } else {
            fs::remove(file);
            ++result.removed;
            result.removed_files.push_back(rel.string());
        }
    }
    if (!fs::exists(shadow)) return result;
    std::vector<fs::path> stale;
    for (const auto& entry : fs::recursive_directory_iterator(shadow)) {
        if (!entry.is_regular_file()) continue;
        const std::string name = entry.path().string();
        if (name.find(std::string(kShadowSuffix) + ".tmp.") != std::string::npos ||
            entry.path().filename().string().rfind("frozen.", 0) == 0) {
            stale.push_back(entry.path());
        } else if (ends_with(name, kShadowSuffix)) {
            const std::string rel = fs::relative(entry.path(), shadow).string();
            const fs::path file = dir / rel.substr(0, rel.size() - std::string(kShadowSuffix).size());
            if (!fs::exists(file)) {
                fs::create_directories(file.parent_path());
                fs::copy_file(entry.path(), file);
                ++result.restored;
            }
        }
    }
    for (const auto& file : stale) fs::remove(file);
    return result;
}

inline CutResult cut(const std::filesystem::path& dir) { return cut(dir, default_shadow(dir)); }

// A file the test put under `dir` itself, declared durable as it is now.
inline void mark_durable(const std::filesystem::path& dir, const std::filesystem::path& file) {
    namespace fs = std::filesystem;
    const fs::path durable = default_shadow(dir) / (fs::relative(file, dir).string() + kShadowSuffix);
    fs::create_directories(durable.parent_path());
    fs::copy_file(file, durable, fs::copy_options::overwrite_existing);
}

}  // namespace storeq::powercut
