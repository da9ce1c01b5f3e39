#include "model/kiosk_config_file.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "storeq/ids.hpp"
#include "storeq/text_lines.hpp"

namespace storeq::kiosk {
namespace {


std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> items;
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view item = trim(value.substr(0, comma));
        if (!item.empty()) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return items;
}

Expected<TimeMs> parse_duration(std::string_view value) {
    TimeMs number = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, number);
    if (ec != std::errc{} || ptr == value.data() || number < 0) return Error{"", "expected a duration like 4s"};
    const std::string_view unit = trim(std::string_view(ptr, static_cast<std::size_t>(end - ptr)));
    if (unit == "ms") return number;
    if (unit == "s") return number * 1000;
    if (unit == "min") return number * 60'000;
    // Hours and days: the outbox's history is kept for weeks.
    if (unit == "h") return number * 3'600'000;
    if (unit == "d") return number * 86'400'000;
    return Error{"", "a duration needs a unit (ms, s, min, h or d), got '" + std::string(value) + "'"};
}

Expected<std::vector<std::string>> parse_reasons(std::string_view value) {
    auto codes = split_list(value);
    if (codes.size() > kMaxReasons)
        return Error{"", "at most " + std::to_string(kMaxReasons) + " reasons, got " + std::to_string(codes.size())};
    for (const auto& code : codes)
        if (!is_valid_reason_code(code)) return Error{"", "reason codes match [a-z0-9_]{1,32}, got '" + code + "'"};
    return codes;
}

bool is_locale_code(std::string_view code) {
    if (code.size() < 2 || code.size() > 16) return false;
    for (char c : code)
        if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
    return true;
}

Expected<void> apply_key(std::string_view key, std::string_view value, KioskConfig& config) {
    if (key == "scale") {
        if (value == "smiley4") config.scale = Scale::smiley4;
        else if (value == "smiley5") config.scale = Scale::smiley5;
        else if (value == "nps") config.scale = Scale::nps;
        else return Error{"", "must be smiley4, smiley5 or nps"};
    } else if (key == "positive_reasons" || key == "negative_reasons") {
        auto codes = parse_reasons(value);
        if (!codes) return codes.error();
        (key == "positive_reasons" ? config.positive_reasons : config.negative_reasons) = std::move(*codes);
    } else if (key == "languages") {
        auto codes = split_list(value);
        for (const auto& code : codes)
            if (!is_locale_code(code)) return Error{"", "language codes are lowercase, like nl, got '" + code + "'"};
        config.languages = std::move(codes);
    } else if (key == "default_language") {
        if (!is_locale_code(value)) return Error{"", "a language code like nl"};
        config.locale = std::string(value);
    } else if (key == "response_interval" || key == "follow_up_timeout" || key == "thank_you" ||
               key == "stand_down_notice") {
        auto ms = parse_duration(value);
        if (!ms) return ms.error();
        if (key != "response_interval" && *ms < 1000) return Error{"", "must be at least 1s: people need time to read"};
        if (key == "response_interval") config.response_interval_ms = *ms;
        else if (key == "follow_up_timeout") config.follow_up_timeout_ms = *ms;
        else if (key == "thank_you") config.thank_you_ms = *ms;
        else config.stand_down_notice_ms = *ms;
    } else if (key == "receipt_timeout") {
        auto ms = parse_duration(value);
        if (!ms) return ms.error();
        // Below 5 s a busy controller's fsync would look like a loss; above 15 min (the
        // cap of the doubling) a lost response would wait too long.
        if (*ms < 5000 || *ms > 15 * 60'000) return Error{"", "must be between 5s and 15min"};
        config.receipt_timeout_ms = *ms;
    } else if (key == "history") {
        auto ms = parse_duration(value);
        if (!ms) return ms.error();
        // The history is what a restored database is refilled from: at least a day of it.
        if (*ms < 86'400'000) return Error{"", "must be at least 1d"};
        config.history_ms = *ms;
    } else if (key == "theme") {
        if (value == "standard") config.theme = ThemeKind::standard;
        else if (value == "high_contrast") config.theme = ThemeKind::high_contrast;
        else return Error{"", "must be standard or high_contrast"};
    } else if (key == "layout") {
        if (value == "standard") config.layout = LayoutKind::standard;
        else if (value == "low_reach") config.layout = LayoutKind::low_reach;
        else return Error{"", "must be standard or low_reach"};
    } else if (key == "service_pin") {
        if (value.size() < 4 || value.size() > 8 || value.find_first_not_of("0123456789") != std::string_view::npos)
            return Error{"", "4 to 8 digits"};
        config.service_pin = std::string(value);
    } else {
        return Error{"", "unknown key"};
    }
    return {};
}

}  // namespace

Expected<void> apply_kiosk_config_text(std::string_view text, KioskConfig& config) {
    auto settings = parse_settings(text);
    if (!settings) return settings.error();
    for (const Setting& setting : *settings) {
        if (auto applied = apply_key(setting.key, setting.value, config); !applied)
            return Error{setting.where() + ": " + std::string(setting.key), applied.error().what};
    }
    return {};
}

}  // namespace storeq::kiosk
