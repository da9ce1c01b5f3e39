#pragma once
// A report as JSON, and the chain documents. Table and CSV are the store's own writers
// (storeq/controller/report_text.hpp), with head office's columns. Pure: text out.
#include <cstdint>
#include <string>
#include <vector>

#include "storeq/controller/report_text.hpp"
#include "storeq/controller/stats_rows.hpp"

namespace storeq::hq {

using Rows = std::vector<std::vector<controller::Cell>>;

using controller::csv_text;
using controller::table_text;
// One row as a JSON object text, keyed by column; empty cells are null.
std::string row_json_text(const std::vector<std::string>& columns, const std::vector<controller::Cell>& row);
// {"from":..,"to":..,"by":..,"rows":[...]}
std::string json_text(const std::string& from, const std::string& to, const std::string& by,
                      const std::vector<std::string>& columns, const Rows& rows);

// A chain document (docs/hq.md "Chain documents"): {"v":1,"view":..,"from":..,"to":..,
// "generated":ms,"stores":[store rows],"regions":[region rows],"chain":chain row}, each
// row keyed by its report_columns().
struct ChainDocumentPart {
    std::vector<std::string> columns;
    Rows rows;
};
std::string chain_document_text(const std::string& view, const std::string& from, const std::string& to,
                                std::int64_t generated_ms, const ChainDocumentPart& stores,
                                const ChainDocumentPart& regions, const ChainDocumentPart& chain);

}  // namespace storeq::hq
