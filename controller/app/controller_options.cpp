#include "controller_options.hpp"

#include "local_time.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "storeq/ids.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::controller {
namespace {
// "8M", "256k", "4096": bytes, with an optional binary k/M/G suffix; 0..1 GiB.
Expected<std::int64_t> parse_byte_size(const std::string& text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 10) return Error{"size", "must be a number of bytes like 8M or 256k, got '" + text + "'"};
    std::int64_t n = std::stoll(text.substr(0, digits));
    const std::string unit = text.substr(digits);
    if (unit == "k" || unit == "K") n *= 1024;
    else if (unit == "m" || unit == "M") n *= 1024 * 1024;
    else if (unit == "g" || unit == "G") n *= 1024LL * 1024 * 1024;
    else if (!unit.empty()) return Error{"size", "unit must be k, M or G, got '" + unit + "'"};
    if (n > 1024LL * 1024 * 1024) return Error{"size", "at most 1G, got '" + text + "'"};
    return n;
}
}  // namespace

Expected<ControllerOptions> parse_controller_options(const std::vector<std::string>& args) {
    ControllerOptions o;
    bool has_broker = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--verbose") {
            o.verbose = true;
            continue;
        }
        if (flag == "--unsafe-receipts-without-fsync") {
            o.receipts_without_fsync = true;
            continue;
        }
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            continue;
        }
        static const char* const kWithValue[] = {"--broker", "--store", "--db", "--config",
                                                 "--clock", "--credentials", "--storage-reserve", "--tills"};
        if (std::find(std::begin(kWithValue), std::end(kWithValue), flag) == std::end(kWithValue))
            return unknown_option(flag);
        if (i + 1 >= args.size()) return needs_value(flag);
        const std::string& value = args[++i];
        if (flag == "--broker") {
            auto hp = parse_host_port(value);
            if (!hp) return Error{"--broker", hp.error().what};
            o.broker_host = hp->first;
            o.broker_port = hp->second;
            has_broker = true;
        } else if (flag == "--store") {
            if (!is_valid_id(value)) return Error{"--store", "must match [a-z0-9][a-z0-9-]{0,31}"};
            o.store = value;
        } else if (flag == "--db") {
            o.db_path = value;
        } else if (flag == "--config") {
            o.config_path = value;
        } else if (flag == "--clock") {
            if (value != "wall" && value != "sim") return Error{"--clock", "must be wall or sim"};
            o.sim_clock = value == "sim";
        } else if (flag == "--credentials") {
            o.credentials_path = value;
        } else if (flag == "--storage-reserve") {
            auto bytes = parse_byte_size(value);
            if (!bytes) return Error{"--storage-reserve", bytes.error().what};
            o.storage_reserve_bytes = *bytes;
        } else if (flag == "--tills") {
            o.tills_text = value;
            o.tills_given = true;
        }
    }
    if (o.help) return o;
    if (!has_broker) return Error{"--broker", "missing"};
    if (o.store.empty()) return Error{"--store", "missing"};
    if (o.db_path.empty()) return Error{"--db", "missing"};
    return o;
}

Expected<Config> load_config(const ControllerOptions& options) {
    Config defaults;
    auto tills = parse_till_list(options.tills_text);
    if (!tills) return Error{"--tills", tills.error().what};
    defaults.tills = *tills;
    Config config = defaults;
    if (!options.config_path.empty()) {
        std::ifstream file(options.config_path);
        if (!file) return Error{options.config_path, "cannot be read"};
        std::stringstream text;
        text << file.rdbuf();
        auto parsed = parse_config(text.str(), defaults);
        if (!parsed) return Error{options.config_path + ": " + parsed.error().where, parsed.error().what};
        config = *parsed;
    }
    if (options.tills_given) config.tills = *tills;
    // A zone the tz database does not have is refused at start, not found by the stats later.
    auto zone = load_time_zone(config.time_zone);
    if (!zone) return zone.error();
    config.zone = std::move(*zone);
    return config;
}

}  // namespace storeq::controller
