#include "app/kiosk_args.hpp"

#include <charconv>

#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::kiosk {
namespace {

std::optional<int> parse_int(const std::string& text) {
    int value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

Expected<int> int_in_range(const std::string& option, const std::string& text, int min, int max) {
    auto value = parse_int(text);
    if (!value || *value < min || *value > max)
        return Error{option, "expected a whole number " + std::to_string(min) + ".." + std::to_string(max) +
                                 ", got '" + text + "'"};
    return *value;
}

}  // namespace

std::string kiosk_usage() {
    return "usage: storeq-kiosk --role feedback|lane|staff|manager --broker HOST:PORT --store ID --id DEVICE [--till N]\n"
           "                    [--config FILE] [--outbox FILE] [--credentials FILE] [--input-script FILE] [--assets DIR]\n"
           "                    [--screenshot FILE] [--width W --height H] [--fullscreen] [--software]\n"
           "                    [--sample-prompt]\n"
           "  --role R        feedback (exit kiosk), lane (display at a till), staff (handheld) or\n"
           "                  manager (dashboard of the retained stats/* topics) (required)\n"
           "  --broker HOST:PORT  MQTT broker, retried with backoff until it answers (required, except\n"
           "                  with --screenshot or --input-script)\n"
           "  --store ID, --id DEVICE  store and device ids, [a-z0-9][a-z0-9-]{0,31} (required)\n"
           "  --till N        the till this lane display stands at (1..999) (required for lane)\n"
           "  --config F      kiosk configuration: scale, reasons, languages, theme, layout, PIN\n"
           "                  (default: built-in; docs/kiosk.md)\n"
           "  --outbox F      feedback outbox (SQLite) (default ./storeq-kiosk-<id>.db)\n"
           "  --credentials F broker account file (username, password, ca_file for TLS), as made by\n"
           "                  storeq-controller provision (default: anonymous)\n"
           "  --input-script F  run taps, waits and screenshots from F, then exit (docs/kiosk.md)\n"
           "  --assets DIR    where kiosk/lang/*.json are (default: installed, else the source tree)\n"
           "  --screenshot F  render a frame, write it to F as PNG and exit (no broker used)\n"
           "  --width W, --height H  window size in pixels (default 1024x600; manager 1280x800)\n"
           "  --fullscreen    fill the screen (default: a window)\n"
           "  --software      use the software renderer, no GPU (default: the GPU's)\n"
           "  --sample-prompt lane: show a sample prompt for this till, to check the screen (default off)\n"
           "  --help, -h      this text\n"
           "exit codes: 0 done; 1 failed while running (display, outbox); 2 bad command line or\n"
           "configuration, with a sentence naming it (docs/commands.md)\n";
}

Expected<KioskOptions> parse_kiosk_args(const std::vector<std::string>& args) {
    KioskOptions options;
    std::optional<std::string> role, broker, store, id, till;
    bool size_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        auto need = [&](std::optional<std::string>& slot) -> Expected<void> {
            auto v = value();
            if (!v) return Error{arg, kNeedsValue};
            slot = std::move(*v);
            return {};
        };
        Expected<void> ok;
        std::optional<std::string> text;
        if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--role") {
            ok = need(role);
        } else if (arg == "--broker") {
            ok = need(broker);
        } else if (arg == "--store") {
            ok = need(store);
        } else if (arg == "--id") {
            ok = need(id);
        } else if (arg == "--till") {
            ok = need(till);
        } else if (arg == "--screenshot") {
            ok = need(text);
            if (ok) options.screenshot = *text;
        } else if (arg == "--width" || arg == "--height") {
            ok = need(text);
            if (!ok) return ok.error();
            auto size = int_in_range(arg, *text, 320, 7680);
            if (!size) return size.error();
            (arg == "--width" ? options.width : options.height) = *size;
            size_given = true;
        } else if (arg == "--fullscreen") {
            options.fullscreen = true;
        } else if (arg == "--software") {
            options.software = true;
        } else if (arg == "--config") {
            ok = need(options.config_file);
        } else if (arg == "--outbox") {
            ok = need(options.outbox);
        } else if (arg == "--credentials") {
            ok = need(options.credentials_file);
        } else if (arg == "--input-script") {
            ok = need(options.input_script);
        } else if (arg == "--assets") {
            ok = need(options.assets_dir);
        } else if (arg == "--sample-prompt") {
            options.sample_prompt = true;
        } else {
            return Error{arg, kUnknownOption};
        }
        if (!ok) return ok.error();
    }
    if (options.help) return options;

    if (!role) return Error{"--role", "is required"};
    auto parsed_role = parse_role(*role);
    if (!parsed_role) return Error{"--role", "must be feedback, lane, staff or manager, got '" + *role + "'"};
    options.config.role = *parsed_role;
    // The dashboard is landscape, on a PC or a wall screen.
    if (options.config.role == Role::manager && !size_given) {
        options.width = 1280;
        options.height = 800;
    }

    if (!store || !is_valid_id(*store)) return Error{"--store", "a store id [a-z0-9][a-z0-9-]{0,31} is required"};
    if (!id || !is_valid_id(*id)) return Error{"--id", "a device id [a-z0-9][a-z0-9-]{0,31} is required"};
    options.config.store = *store;
    options.config.device = *id;

    if (till) {
        auto lane = int_in_range("--till", *till, kMinLane, kMaxLane);
        if (!lane) return lane.error();
        options.config.till = *lane;
    } else if (options.config.role == Role::lane) {
        return Error{"--till", "is required for the lane role"};
    }

    if (broker) {
        auto host_port = parse_host_port(*broker);
        if (!host_port) return Error{"--broker", host_port.error().what};
        options.broker_host = host_port->first;
        options.broker_port = host_port->second;
    } else if (!options.screenshot && !options.input_script) {
        return Error{"--broker", "is required (HOST:PORT)"};
    }
    return options;
}

std::string describe_args_error(const Error& error) {
    if (error.what == kUnknownOption) return "unknown option '" + error.where + "'";
    if (error.what == kNeedsValue) return error.where + " needs a value";
    return error.to_string();
}

std::string outbox_path(const KioskOptions& options) {
    return options.outbox ? *options.outbox : "./storeq-kiosk-" + options.config.device + ".db";
}

}  // namespace storeq::kiosk
