#include "storeq/ids.hpp"

#include <cstdio>

namespace storeq {
namespace {
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
}  // namespace

bool is_valid_id(std::string_view id) {
    if (id.empty() || id.size() > 32 || !is_lower_alnum(id[0])) return false;
    for (char c : id)
        if (!is_lower_alnum(c) && c != '-') return false;
    return true;
}

bool is_valid_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash_position ? text[i] != '-' : !is_lower_hex(text[i])) return false;
    }
    return true;
}

bool is_valid_reason_code(std::string_view code) {
    if (code.empty() || code.size() > 32) return false;
    for (char c : code)
        if (!is_lower_alnum(c) && c != '_') return false;
    return true;
}

std::string make_uuid_v7(TimeMs now, std::mt19937_64& rng) {
    const auto ms = static_cast<std::uint64_t>(now) & 0xFFFFFFFFFFFFULL;
    const std::uint64_t r1 = rng();
    const std::uint64_t r2 = rng();
    const std::uint64_t high = (ms << 16) | 0x7000ULL | (r1 & 0x0FFFULL);  // version 7
    const std::uint64_t low = (r2 & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
    char text[37];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                  static_cast<unsigned long long>(high >> 32),
                  static_cast<unsigned long long>((high >> 16) & 0xFFFF),
                  static_cast<unsigned long long>(high & 0xFFFF),
                  static_cast<unsigned long long>(low >> 48),
                  static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
    return text;
}

}  // namespace storeq
