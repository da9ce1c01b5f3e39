#include "hq_options.hpp"

#include <algorithm>
#include <iterator>

#include "storeq/controller/time_zone.hpp"
#include "storeq/mqtt_client.hpp"

namespace storeq::hq {
namespace {

Error unknown_option(const std::string& flag) { return Error{flag, "is not an option of this command (see --help)"}; }
Error needs_value(const std::string& flag) { return Error{flag, "needs a value"}; }

bool is_plain_name(const std::string& s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

}  // namespace

const char* const kHqUsage =
    "usage: storeq-hq run --broker HOST:PORT --pg CONNINFO --tree FILE [--share GROUP] [--client-id ID]\n"
    "                     [--credentials FILE] [--verbose]\n"
    "       storeq-hq report --pg CONNINFO --tree FILE --by store|region|chain --from YYYY-MM-DD --to YYYY-MM-DD\n"
    "                     [--format table|csv|json]\n"
    "docs/hq.md says what each does.\n";

Expected<RunOptions> parse_run_options(const std::vector<std::string>& args) {
    RunOptions o;
    bool has_broker = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            continue;
        }
        if (flag == "--verbose") {
            o.verbose = true;
            continue;
        }
        static const char* const kWithValue[] = {"--broker", "--pg", "--tree", "--share", "--client-id", "--credentials"};
        if (std::find(std::begin(kWithValue), std::end(kWithValue), flag) == std::end(kWithValue)) return unknown_option(flag);
        if (i + 1 >= args.size()) return needs_value(flag);
        const std::string& value = args[++i];
        if (flag == "--broker") {
            auto hp = parse_host_port(value);
            if (!hp) return Error{"--broker", hp.error().what};
            o.broker_host = hp->first;
            o.broker_port = hp->second;
            has_broker = true;
        } else if (flag == "--pg") o.pg_conninfo = value;
        else if (flag == "--tree") o.tree_path = value;
        else if (flag == "--share") {
            if (!is_plain_name(value)) return Error{"--share", "must be a group name (letters, digits, '-', '_'), not '" + value + "'"};
            o.share_group = value;
        } else if (flag == "--client-id") {
            if (!is_plain_name(value)) return Error{"--client-id", "must be letters, digits, '-', '_', not '" + value + "'"};
            o.client_id = value;
        } else if (flag == "--credentials") o.credentials_path = value;
    }
    if (o.help) return o;
    if (!has_broker) return Error{"--broker", "is required"};
    if (o.pg_conninfo.empty()) return Error{"--pg", "is required"};
    if (o.tree_path.empty()) return Error{"--tree", "is required"};
    return o;
}

Expected<ReportOptions> parse_report_options(const std::vector<std::string>& args) {
    ReportOptions o;
    bool has_by = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            continue;
        }
        static const char* const kWithValue[] = {"--pg", "--tree", "--by", "--from", "--to", "--format"};
        if (std::find(std::begin(kWithValue), std::end(kWithValue), flag) == std::end(kWithValue)) return unknown_option(flag);
        if (i + 1 >= args.size()) return needs_value(flag);
        const std::string& value = args[++i];
        if (flag == "--pg") o.pg_conninfo = value;
        else if (flag == "--tree") o.tree_path = value;
        else if (flag == "--from") o.from_date = value;
        else if (flag == "--to") o.to_date = value;
        else if (flag == "--by") {
            if (value == "store") o.by = ReportBy::store;
            else if (value == "region") o.by = ReportBy::region;
            else if (value == "chain") o.by = ReportBy::chain;
            else return Error{"--by", "must be store, region or chain, not '" + value + "'"};
            has_by = true;
        } else if (flag == "--format") {
            if (value == "table") o.format = ReportOptions::Format::table;
            else if (value == "csv") o.format = ReportOptions::Format::csv;
            else if (value == "json") o.format = ReportOptions::Format::json;
            else return Error{"--format", "must be table, csv or json, not '" + value + "'"};
        }
    }
    if (o.help) return o;
    if (o.pg_conninfo.empty()) return Error{"--pg", "is required"};
    if (o.tree_path.empty()) return Error{"--tree", "is required"};
    if (!has_by) return Error{"--by", "is required (store, region or chain)"};
    if (o.from_date.empty()) return Error{"--from", "is required"};
    if (o.to_date.empty()) return Error{"--to", "is required"};
    // Dates are each store's local days: as day numbers here, made instants per store.
    auto from = controller::parse_iso_date(controller::utc_zone(), o.from_date);
    if (!from) return Error{"--from", from.error().what};
    auto to = controller::parse_iso_date(controller::utc_zone(), o.to_date);
    if (!to) return Error{"--to", to.error().what};
    if (*to < *from) return Error{"--to", "is before --from"};
    o.days = DayRange{*from / controller::kDayMs, *to / controller::kDayMs};
    return o;
}

}  // namespace storeq::hq
