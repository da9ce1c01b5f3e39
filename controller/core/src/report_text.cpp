#include "storeq/controller/report_text.hpp"

#include <algorithm>

namespace storeq::controller {

std::string csv_text(const std::vector<std::string>& columns, const CellRows& rows) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
    out += '\n';
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + cell_text(row[i]);
        out += '\n';
    }
    return out;
}

std::string table_text(const std::vector<std::string>& columns, const CellRows& rows) {
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

}  // namespace storeq::controller
