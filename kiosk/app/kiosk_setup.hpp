#pragma once
// Start-up I/O around the pure configuration: reads --config and the language files in
// <assets>/kiosk/lang/*.json (one per language: adding a language is adding a file).
#include <string>

#include "app/kiosk_args.hpp"
#include "model/kiosk_config.hpp"
#include "storeq/expected.hpp"

namespace storeq::kiosk {

// --assets, else $STOREQ_ASSETS, else the installed share/storeq beside the binary's bin/,
// else the source tree's assets/ (set at build time).
std::string assets_dir(const KioskOptions& options);

// Every <dir>/*.json as locale -> texts. A file that is not a flat JSON object of strings
// is skipped and logged (a broken translation must not stop the kiosk).
TextTable load_language_files(const std::string& dir);

// The window's title, by role and store, so the windows of one machine tell apart:
// "storeq feedback kiosk exit-1 - store s1", "storeq lane display till 2 - store s1",
// "storeq staff handheld anna - store s1", "storeq manager dashboard - store s1".
std::string window_title(const KioskConfig& config);

// The configuration the kiosk runs with: options, then --config, then the languages
// found (config.languages keeps its order, filtered to files that exist; empty: all found).
Expected<KioskConfig> load_kiosk_config(const KioskOptions& options);

}  // namespace storeq::kiosk
