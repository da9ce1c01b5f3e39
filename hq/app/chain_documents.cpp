#include "chain_documents.hpp"

#include "hq_report.hpp"
#include "storeq/chain/outbound.hpp"
#include "storeq/hq/report_text.hpp"

namespace storeq::hq {

Expected<std::vector<std::pair<std::string, std::string>>> chain_documents(HqStore& store, const LoadedTree& tree,
                                                                           TimeMs now) {
    const controller::TimeZone& zone = tree.head_office_zone;
    const controller::LocalTime local = controller::local_time(zone, now);
    const long long today = controller::days_from_civil(local.year, local.month, local.day);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [view, days] : {std::pair{"today", DayRange{today, today}}, std::pair{"28d", DayRange{today - 27, today}}}) {
        auto stats = load_chain_stats(store, tree, days);
        if (!stats) return stats.error();
        auto part = [&](ReportBy by) {
            ChainDocumentPart p{report_columns(by), {}};
            for (const auto& row : chain_report(*stats, by, days)) p.rows.push_back(report_cells(row, by));
            return p;
        };
        const auto from_to = period_text(DayRange{days.from_day, days.from_day});
        out.emplace_back(chain::chain_document_topic(view),
                         chain_document_text(view, from_to, period_text(DayRange{days.to_day, days.to_day}), now,
                                             part(ReportBy::store), part(ReportBy::region), part(ReportBy::chain)));
    }
    return out;
}

}  // namespace storeq::hq
