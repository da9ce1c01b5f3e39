#include "storeq/mqtt_credentials.hpp"

#include <fstream>
#include <sstream>

#include "storeq/mqtt_client.hpp"
#include "storeq/text_lines.hpp"

namespace storeq {

Expected<MqttCredentials> parse_credentials(std::string_view text) {
    MqttCredentials credentials;
    auto settings = parse_settings(text);
    if (!settings) return settings.error();
    for (const Setting& setting : *settings) {
        const std::string where = setting.where();
        const auto key = setting.key;
        const auto value = std::string(setting.value);
        if (key == "username")
            credentials.username = value;
        else if (key == "password")
            credentials.password = value;
        else if (key == "ca_file")
            credentials.ca_file = value;
        else
            return Error{where, "unknown key '" + std::string(key) + "' (username, password, ca_file)"};
    }
    if (credentials.username.empty()) return Error{"username", "missing"};
    if (credentials.password.empty()) return Error{"password", "missing"};
    return credentials;
}

Expected<MqttCredentials> load_credentials(const std::string& path) {
    std::ifstream file(path);
    if (!file) return Error{path, "cannot be read"};
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = parse_credentials(text.str());
    if (!parsed) return Error{path + ": " + parsed.error().where, parsed.error().what};
    return parsed;
}

std::string format_credentials(const MqttCredentials& credentials) {
    return "# storeq broker account (made by storeq-controller provision); keep it secret\n"
           "username = " + credentials.username + "\npassword = " + credentials.password + "\n" +
           (credentials.ca_file.empty() ? "" : "ca_file = " + credentials.ca_file + "\n");
}

void apply_credentials(MqttOptions& options, const MqttCredentials& credentials) {
    options.username = credentials.username;
    options.password = credentials.password;
    options.tls_ca_file = credentials.ca_file;
}

}  // namespace storeq
