#include "storeq/hq/report_text.hpp"

#include <nlohmann/json.hpp>

namespace storeq::hq {
namespace {

using controller::Cell;
using controller::cell_text;

nlohmann::json row_json(const std::vector<std::string>& columns, const std::vector<Cell>& row) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size() && i < columns.size(); ++i) {
        const Cell& c = row[i];
        switch (c.kind) {
            case Cell::Kind::empty: j[columns[i]] = nullptr; break;
            case Cell::Kind::integer: j[columns[i]] = c.integer; break;
            case Cell::Kind::decimal: j[columns[i]] = c.decimal; break;
            case Cell::Kind::text: j[columns[i]] = c.text; break;
        }
    }
    return j;
}

}  // namespace

std::string row_json_text(const std::vector<std::string>& columns, const std::vector<Cell>& row) {
    return row_json(columns, row).dump();
}

std::string json_text(const std::string& from, const std::string& to, const std::string& by,
                      const std::vector<std::string>& columns, const Rows& rows) {
    nlohmann::json j = {{"from", from}, {"to", to}, {"by", by}, {"rows", nlohmann::json::array()}};
    for (const auto& row : rows) j["rows"].push_back(row_json(columns, row));
    return j.dump(1) + "\n";
}

std::string chain_document_text(const std::string& view, const std::string& from, const std::string& to,
                                std::int64_t generated_ms, const ChainDocumentPart& stores,
                                const ChainDocumentPart& regions, const ChainDocumentPart& chain) {
    auto rows_json = [](const ChainDocumentPart& part) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& row : part.rows) a.push_back(row_json(part.columns, row));
        return a;
    };
    nlohmann::json j = {{"v", 1}, {"view", view}, {"from", from}, {"to", to}, {"generated", generated_ms},
                        {"stores", rows_json(stores)}, {"regions", rows_json(regions)}};
    j["chain"] = chain.rows.empty() ? nlohmann::json(nullptr) : row_json(chain.columns, chain.rows.front());
    return j.dump();
}

}  // namespace storeq::hq
