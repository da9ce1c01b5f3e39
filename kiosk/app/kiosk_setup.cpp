#include "app/kiosk_setup.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/kiosk_config_file.hpp"
#include "storeq/log.hpp"

#ifndef STOREQ_KIOSK_ASSETS_DIR
#define STOREQ_KIOSK_ASSETS_DIR "assets"
#endif
#ifndef STOREQ_KIOSK_INSTALLED_ASSETS_DIR
#define STOREQ_KIOSK_INSTALLED_ASSETS_DIR "share/storeq"
#endif

namespace storeq::kiosk {
namespace {

constexpr std::string_view kComponent = "kiosk";

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

std::string window_title(const KioskConfig& config) {
    const std::string store = " - store " + config.store;
    switch (config.role) {
        case Role::feedback: return "storeq feedback kiosk " + config.device + store;
        case Role::lane: return "storeq lane display till " + std::to_string(config.till) + store;
        case Role::staff: return "storeq staff handheld " + config.device + store;
        case Role::manager: return "storeq manager dashboard" + store;
    }
    return "storeq kiosk" + store;
}

std::string assets_dir(const KioskOptions& options) {
    if (options.assets_dir) return *options.assets_dir;
    if (const char* env = std::getenv("STOREQ_ASSETS"); env && *env) return env;
    // Installed (cmake/install.cmake): <prefix>/bin/storeq-kiosk beside <prefix>/share/storeq,
    // wherever the prefix is (/usr from the package, a DESTDIR in the install check).
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const auto installed = exe.parent_path().parent_path() / STOREQ_KIOSK_INSTALLED_ASSETS_DIR;
        if (std::filesystem::is_directory(installed / "kiosk" / "lang", error)) return installed.string();
    }
    return STOREQ_KIOSK_ASSETS_DIR;
}

TextTable load_language_files(const std::string& dir) {
    TextTable table;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (entry.path().extension() != ".json") continue;
        const std::string locale = entry.path().stem().string();
        auto text = read_file(entry.path().string());
        auto json = nlohmann::json::parse(text.value_or(""), nullptr, /*allow_exceptions=*/false);
        if (!json.is_object()) {
            log_warn(kComponent, "language file skipped, not a JSON object: " + entry.path().string());
            continue;
        }
        auto& texts = table[locale];
        for (const auto& [key, value] : json.items())
            if (value.is_string()) texts[key] = value.get<std::string>();
    }
    if (error) log_warn(kComponent, "no language files in " + dir + ": " + error.message());
    return table;
}

Expected<KioskConfig> load_kiosk_config(const KioskOptions& options) {
    KioskConfig config = options.config;
    if (options.config_file) {
        auto text = read_file(*options.config_file);
        if (!text) return Error{*options.config_file, "cannot read"};
        if (auto applied = apply_kiosk_config_text(*text, config); !applied)
            return Error{*options.config_file + ": " + applied.error().where, applied.error().what};
    }
    config.texts = load_language_files(assets_dir(options) + "/kiosk/lang");
    std::vector<std::string> found;
    for (const auto& [locale, texts] : config.texts) found.push_back(locale);
    if (config.languages.empty()) {
        config.languages = found;
    } else {
        std::erase_if(config.languages, [&](const std::string& code) {
            const bool missing = !config.texts.contains(code);
            if (missing) log_warn(kComponent, "language '" + code + "' has no file: its button is left out");
            return missing;
        });
    }
    // One language is no choice: no buttons.
    if (config.languages.size() < 2) config.languages.clear();
    log_info(kComponent, std::to_string(found.size()) + " language files in " + assets_dir(options) + "/kiosk/lang");
    return config;
}

}  // namespace storeq::kiosk
