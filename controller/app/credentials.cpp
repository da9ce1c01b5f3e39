#include "credentials.hpp"

#include <fstream>
#include <sstream>

namespace storeq::controller {
namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

}  // namespace

Expected<MqttCredentials> parse_credentials(std::string_view text) {
    MqttCredentials credentials;
    int line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = trim(line);
        if (line.empty()) continue;
        const std::string where = "line " + std::to_string(line_number);
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return Error{where, "expected 'key = value'"};
        const auto key = trim(line.substr(0, eq));
        const auto value = std::string(trim(line.substr(eq + 1)));
        if (key == "username")
            credentials.username = value;
        else if (key == "password")
            credentials.password = value;
        else
            return Error{where, "unknown key '" + std::string(key) + "' (username, password)"};
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
           "username = " + credentials.username + "\npassword = " + credentials.password + "\n";
}

}  // namespace storeq::controller
