#include "storeq/hq/report_text.hpp"

#include <algorithm>

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

std::string csv_text(const std::vector<std::string>& columns, const Rows& rows) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
    out += '\n';
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + cell_text(row[i]);
        out += '\n';
    }
    return out;
}

std::string table_text(const std::vector<std::string>& columns, const Rows& rows) {
    std::vector<std::size_t> width(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) width[i] = columns[i].size();
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], cell_text(row[i]).size());
    std::string out;
    auto line = [&](auto text_of, auto right_aligned) {
        std::string text;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const std::string cell = text_of(i);
            const std::string pad(width[i] - cell.size(), ' ');
            text += (i ? "  " : "") + (right_aligned(i) ? pad + cell : cell + pad);
        }
        text.erase(text.find_last_not_of(' ') + 1);
        out += text + "\n";
    };
    line([&](std::size_t i) { return columns[i]; }, [](std::size_t) { return false; });
    for (const auto& row : rows)
        line([&](std::size_t i) { return i < row.size() ? cell_text(row[i]) : std::string(); },
             [&](std::size_t i) {
                 return i < row.size() && (row[i].kind == Cell::Kind::integer || row[i].kind == Cell::Kind::decimal);
             });
    return out;
}

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
