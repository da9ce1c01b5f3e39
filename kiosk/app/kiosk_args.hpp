#pragma once
// Command line of storeq-kiosk. Parsing is pure so tests can check every refusal.
#include <optional>
#include <string>
#include <vector>

#include "model/kiosk_config.hpp"
#include "storeq/expected.hpp"
#include "storeq/mqtt_credentials.hpp"

namespace storeq::kiosk {

struct KioskOptions {
    KioskConfig config;
    std::string broker_host;
    int broker_port = 0;  // 0: no broker given (allowed only with --screenshot)
    std::optional<std::string> screenshot;
    int width = 1024;   // 1280x800 for the manager role unless --width/--height say otherwise
    int height = 600;
    bool fullscreen = false;
    bool software = false;
    bool sample_prompt = false;  // lane: show a made-up prompt for this till (installers, docs)
    std::optional<std::string> config_file;   // --config: scale, reasons, languages, looks, PIN
    std::optional<std::string> outbox;        // --outbox; default ./storeq-kiosk-<id>.db (feedback role)
    std::optional<std::string> input_script;  // --input-script: taps and screenshots, then exit
    std::optional<std::string> assets_dir;    // --assets: where kiosk/lang/*.json live
    std::optional<std::string> credentials_file;  // --credentials: broker account (and TLS CA)
    MqttCredentials credentials;  // read from credentials_file by main; empty: anonymous
    bool help = false;
};

// The outbox file: --outbox, else ./storeq-kiosk-<id>.db.
std::string outbox_path(const KioskOptions& options);

// `args` excludes the program name.
Expected<KioskOptions> parse_kiosk_args(const std::vector<std::string>& args);
std::string kiosk_usage();

// Errors name the option in `where`; these two say only what is wrong with it.
inline constexpr const char* kUnknownOption = "unknown option";
inline constexpr const char* kNeedsValue = "needs a value";
// The sentence for the terminal: "unknown option '--foo'", "--role needs a value", else
// "--till: expected a whole number ...".
std::string describe_args_error(const Error& error);

}  // namespace storeq::kiosk
