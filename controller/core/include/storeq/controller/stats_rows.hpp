#pragma once
// One row of figures for a period and a lane (or the whole store): a line of
// `storeq-controller report`, and an entry of the stats documents. One definition of the
// columns, so the exports and the dashboard always agree (docs/stats.md lists them).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storeq/controller/stats_period.hpp"

namespace storeq::controller {

struct Cell {
    enum class Kind { empty, integer, decimal, text } kind = Kind::empty;
    std::int64_t integer = 0;
    double decimal = 0;  // already rounded to `places`
    int places = 0;
    std::string text;
};

const std::vector<std::string>& stats_columns();

// `period` is an ISO 8601 date or local time; `lane` none for the whole store (written
// `all`), which is also the only row with feedback and prompt figures.
std::vector<Cell> stats_row(const PeriodFigures& figures, const std::string& period, std::optional<int> lane);

// Cells for other tables (alert_report.hpp): as the stats rows make them.
Cell integer_cell(std::int64_t v);
Cell text_cell(std::string v);
Cell decimal_cell(std::optional<double> v, int places);  // rounded to `places`; empty for none
Cell seconds_cell(std::optional<TimeMs> ms);             // seconds, 1 place; empty for none

// A cell as CSV/table text: dot decimals, fixed places, empty for no value.
std::string cell_text(const Cell& cell);

}  // namespace storeq::controller
