#pragma once
// A device's broker account in a small file (`username = ...`, `password = ...`), so the
// password never shows on a command line (visible to every user in /proc).
#include <string>
#include <string_view>

#include "storeq/expected.hpp"

namespace storeq::controller {

struct MqttCredentials {
    std::string username;
    std::string password;
};

// Text of a credentials file; `#` starts a comment. Both keys are required.
Expected<MqttCredentials> parse_credentials(std::string_view text);
Expected<MqttCredentials> load_credentials(const std::string& path);
std::string format_credentials(const MqttCredentials& credentials);

}  // namespace storeq::controller
