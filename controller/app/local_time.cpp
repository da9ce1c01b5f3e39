#include "local_time.hpp"

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace storeq::controller {
namespace {

constexpr int kLastRuleYear = 2100;

std::string zone_dir() {
    const char* dir = std::getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

bool zone_file_exists(const std::string& name) {
    std::error_code ec;
    return is_zone_name(name) && std::filesystem::is_regular_file(zone_dir() + "/" + name, ec);
}

// "/usr/share/zoneinfo/Europe/Amsterdam" -> "Europe/Amsterdam"
std::string name_after_zoneinfo(const std::string& path) {
    const std::string marker = "zoneinfo/";
    const auto at = path.rfind(marker);
    return at == std::string::npos ? std::string() : path.substr(at + marker.size());
}

struct ByteReader {
    std::string_view bytes;
    std::size_t pos = 0;
    bool has(std::size_t n) const { return pos + n <= bytes.size(); }
    std::int64_t be(std::size_t n) {  // big-endian signed
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[pos + i]);
        pos += n;
        if (n < 8 && (v >> (n * 8 - 1)) & 1) v |= ~std::uint64_t{0} << (n * 8);  // sign-extend
        return static_cast<std::int64_t>(v);
    }
};

struct TzifHeader {
    char version = 0;
    std::int64_t isut = 0, isstd = 0, leap = 0, times = 0, types = 0, chars = 0;
};

bool read_header(ByteReader& r, TzifHeader& h) {
    if (!r.has(44) || r.bytes.substr(r.pos, 4) != "TZif") return false;
    h.version = r.bytes[r.pos + 4];
    r.pos += 20;
    h.isut = r.be(4), h.isstd = r.be(4), h.leap = r.be(4), h.times = r.be(4), h.types = r.be(4), h.chars = r.be(4);
    return h.types > 0 && h.times >= 0 && h.leap >= 0 && h.chars >= 0 && h.isut >= 0 && h.isstd >= 0;
}

std::size_t block_size(const TzifHeader& h, std::size_t time_size) {
    return static_cast<std::size_t>(h.times) * (time_size + 1) + static_cast<std::size_t>(h.types) * 6 +
           static_cast<std::size_t>(h.chars) + static_cast<std::size_t>(h.leap) * (time_size + 4) +
           static_cast<std::size_t>(h.isstd + h.isut);
}

}  // namespace

std::string box_time_zone_name() {
    if (const char* tz = std::getenv("TZ"); tz && *tz) {
        std::string name = tz[0] == ':' ? tz + 1 : tz;
        if (!name.empty() && name[0] == '/') name = name_after_zoneinfo(name);
        if (zone_file_exists(name)) return name;
    }
    if (std::ifstream file("/etc/timezone"); file) {
        std::string name;
        std::getline(file, name);
        if (zone_file_exists(name)) return name;
    }
    std::error_code ec;
    const auto target = std::filesystem::read_symlink("/etc/localtime", ec);
    if (!ec) {
        const std::string name = name_after_zoneinfo(target.string());
        if (zone_file_exists(name)) return name;
    }
    return "UTC";
}

Expected<TimeZone> parse_tzif(std::string_view bytes, std::string name) {
    const auto bad = [&](const std::string& why) { return Error{name, "not a zone file: " + why}; };
    ByteReader r{bytes};
    TzifHeader h;
    if (!read_header(r, h)) return bad("no TZif header");
    std::size_t time_size = 4;
    if (h.version >= '2') {
        // The 32-bit block first; the 64-bit one after it is the one to read.
        if (!r.has(block_size(h, 4))) return bad("cut short");
        r.pos += block_size(h, 4);
        if (!read_header(r, h)) return bad("no second header");
        time_size = 8;
    }
    if (!r.has(block_size(h, time_size))) return bad("cut short");
    std::vector<std::int64_t> times(static_cast<std::size_t>(h.times));
    for (auto& t : times) t = r.be(time_size);
    std::vector<std::size_t> type_of(static_cast<std::size_t>(h.times));
    for (auto& i : type_of) i = static_cast<std::size_t>(r.be(1) & 0xff);
    std::vector<int> offsets(static_cast<std::size_t>(h.types));
    for (auto& o : offsets) {
        o = static_cast<int>(r.be(4));
        r.pos += 2;  // isdst, abbreviation index: not needed for the offsets
    }
    r.pos += block_size(h, time_size) - static_cast<std::size_t>(h.times) * (time_size + 1) -
             static_cast<std::size_t>(h.types) * 6;

    TimeZone zone;
    zone.name = std::move(name);
    zone.initial_offset_s = offsets[0];  // RFC 8536: before the first change, type 0
    int current = zone.initial_offset_s;
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (type_of[i] >= offsets.size()) return bad("a change names no type");
        const int offset = offsets[type_of[i]];
        // The "big bang" entry of some files (-2^59 s) is before any store: it sets the start.
        if (times[i] < -(std::int64_t{1} << 40)) {
            zone.initial_offset_s = current = offset;
            continue;
        }
        if (offset == current) continue;  // only a new name or dst flag: the clock does not move
        zone.changes.push_back({times[i] * 1000, offset});
        current = offset;
    }
    // The footer's rule carries the changes on past the table's last year (a "slim" file
    // lists none it can derive from the rule).
    if (time_size == 8 && r.has(2) && r.bytes[r.pos] == '\n') {
        const auto end = r.bytes.find('\n', r.pos + 1);
        const std::string_view footer = r.bytes.substr(r.pos + 1, end == std::string_view::npos ? 0 : end - r.pos - 1);
        if (!footer.empty()) {
            if (auto rule = parse_posix_rule(footer); rule && rule->has_dst) {
                const TimeMs last = zone.changes.empty() ? LLONG_MIN : zone.changes.back().at;
                int year = 1970;
                if (!zone.changes.empty()) {
                    int month = 0, day = 0;
                    civil_from_days(last / kDayMs, year, month, day);
                }
                for (const auto& change : posix_rule_changes(*rule, year, kLastRuleYear)) {
                    if (change.at <= last || change.offset_s == current) continue;
                    zone.changes.push_back(change);
                    current = change.offset_s;
                }
            } else if (rule && zone.changes.empty()) {
                zone.initial_offset_s = rule->std_offset_s;
            }
        }
    }
    return zone;
}

Expected<TimeZone> load_time_zone(const std::string& wanted) {
    const std::string name = wanted.empty() ? box_time_zone_name() : wanted;
    if (!is_zone_name(name)) return Error{"time_zone", "'" + name + "' is not a time zone name"};
    const std::string path = zone_dir() + "/" + name;
    std::ifstream file(path, std::ios::binary);
    if (!file) return Error{"time_zone", "no zone '" + name + "' in the tz database (" + path + ")"};
    std::stringstream bytes;
    bytes << file.rdbuf();
    auto zone = parse_tzif(bytes.str(), name);
    if (!zone) return Error{"time_zone", path + ": " + zone.error().what};
    return zone;
}

}  // namespace storeq::controller
