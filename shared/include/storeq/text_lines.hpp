#pragma once
// Line-oriented text files: the store configuration, kiosk configuration, device
// credentials and kiosk input scripts all read the same way: `#` starts a comment, blank
// lines are skipped, and every error names its line.
#include <string>
#include <string_view>
#include <vector>

#include "storeq/expected.hpp"

namespace storeq {

std::string_view trim(std::string_view text);  // spaces, tabs and CR at both ends

struct TextLine {
    int number = 0;         // 1-based, as an editor shows it
    std::string_view text;  // comment removed, trimmed, never empty
};
// Views into `text`: keep it alive while using them.
std::vector<TextLine> content_lines(std::string_view text);

struct Setting {
    int line = 0;
    std::string_view key;
    std::string_view value;
    std::string where() const { return "line " + std::to_string(line); }
};
// `key = value` lines; a line without '=' is an Error naming it.
Expected<std::vector<Setting>> parse_settings(std::string_view text);

}  // namespace storeq
