#pragma once
// storeq-hq's command lines. A bad one is an Error naming the option (exit 2).
#include <string>
#include <vector>

#include "storeq/expected.hpp"
#include "storeq/hq/chain_report.hpp"

namespace storeq::hq {

struct RunOptions {
    std::string broker_host = "127.0.0.1";
    int broker_port = 1883;
    std::string pg_conninfo;
    std::string tree_path;
    std::string share_group;  // set: subscribe $share/GROUP/...
    std::string client_id = "storeq-hq";  // fixed: the broker queues QoS 1 for it while it is down
    std::string credentials_path;         // username, password, ca_file (mqtt_credentials.hpp)
    bool verbose = false;
    bool help = false;
};

struct ReportOptions {
    std::string pg_conninfo;
    std::string tree_path;
    ReportBy by = ReportBy::store;
    std::string from_date, to_date;
    DayRange days;
    enum class Format { table, csv, json } format = Format::table;
    bool help = false;
};

Expected<RunOptions> parse_run_options(const std::vector<std::string>& args);
Expected<ReportOptions> parse_report_options(const std::vector<std::string>& args);

extern const char* const kHqUsage;

}  // namespace storeq::hq
