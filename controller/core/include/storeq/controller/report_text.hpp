#pragma once
// Rows of cells as the text a person or a spreadsheet reads: CSV, or a table with columns
// two spaces apart, numbers right-aligned, no trailing blanks. The one writer of both
// `storeq-controller report` and `storeq-hq report` (head office has more columns: rank,
// store, region, changes). Pure: text out.
#include <string>
#include <vector>

#include "storeq/controller/stats_rows.hpp"

namespace storeq::controller {

using CellRows = std::vector<std::vector<Cell>>;

std::string csv_text(const std::vector<std::string>& columns, const CellRows& rows);
std::string table_text(const std::vector<std::string>& columns, const CellRows& rows);

}  // namespace storeq::controller
