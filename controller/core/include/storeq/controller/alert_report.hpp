#pragma once
// Alerts in `storeq-controller report --alerts` (docs/alerts.md): per period, how many
// opened and how fast someone acknowledged them; or one row per alert for a spreadsheet.
// Pure: stored alerts in, cells out (report_text.hpp writes them).
#include <optional>
#include <string>
#include <vector>

#include "storeq/controller/stats_rows.hpp"
#include "storeq/protocol.hpp"

namespace storeq::controller {

// The columns, defined once (docs/alerts.md lists them).
const std::vector<std::string>& alert_period_columns();
const std::vector<std::string>& alert_list_columns();

// `alerts`: those opened in the period. Time to acknowledge counts acknowledged ones only;
// `closed_by_hand` those closed by an account, `auto_closed` those whose figure recovered.
std::vector<Cell> alert_period_row(const std::vector<Alert>& alerts, const std::string& period);

// One alert; `opened_local` is its opening time in the store's zone (ISO 8601).
std::vector<Cell> alert_list_row(const Alert& alert, const std::string& opened_local);

}  // namespace storeq::controller
