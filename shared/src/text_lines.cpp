#include "storeq/text_lines.hpp"

namespace storeq {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::vector<TextLine> content_lines(std::string_view text) {
    std::vector<TextLine> lines;
    int number = 0;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        ++number;
        if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = trim(line);
        if (!line.empty()) lines.push_back(TextLine{number, line});
    }
    return lines;
}

Expected<std::vector<Setting>> parse_settings(std::string_view text) {
    std::vector<Setting> settings;
    for (const auto& line : content_lines(text)) {
        const auto eq = line.text.find('=');
        if (eq == std::string_view::npos) return Error{"line " + std::to_string(line.number), "expected 'key = value'"};
        settings.push_back(Setting{line.number, trim(line.text.substr(0, eq)), trim(line.text.substr(eq + 1))});
    }
    return settings;
}

}  // namespace storeq
