#pragma once
// A device's broker account in a small file (`username = ...`, `password = ...`, and
// `ca_file = ...` for TLS), so the password never shows on a command line (visible to
// every user in /proc). `storeq-controller provision` writes one per device.
#include <string>
#include <string_view>

#include "storeq/expected.hpp"

namespace storeq {

struct MqttCredentials {
    std::string username;
    std::string password;
    std::string ca_file;  // the store CA: when set, the connection uses TLS
};

struct MqttOptions;
// Puts the account (and TLS, when the file names a CA) into a client's options.
void apply_credentials(MqttOptions& options, const MqttCredentials& credentials);

// Text of a credentials file; `#` starts a comment. username and password are required.
Expected<MqttCredentials> parse_credentials(std::string_view text);
Expected<MqttCredentials> load_credentials(const std::string& path);
std::string format_credentials(const MqttCredentials& credentials);

}  // namespace storeq
