// `storeq-hq report` on what storeq-hq landed in PostgreSQL (docs/hq.md "Report"): a
// store's row is the store report's columns computed by the same code (period_figures +
// stats_row) on the buckets the store sent, so PostgreSQL's round trip changes nothing;
// regions, the chain, ranks and changes come out in every format.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "child_process.hpp"
#include "mqtt_probe.hpp"
#include "postgres_fixture.hpp"
#include "skip_test.hpp"
#include "storeq/chain/outbound.hpp"
#include "storeq/controller/stats_rows.hpp"
#include "store_fixture.hpp"
#include "temp_dir.hpp"
#include "test_broker.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {

const std::string kHq = STOREQ_BINARY_DIR "/bin/storeq-hq";
constexpr TimeMs kHour = 3'600'000;
// 2026-12-02 00:00 in Amsterdam (CET, +01:00, all December).
constexpr TimeMs kDayStart = 1'796'166'000'000;

std::vector<std::string> split(const std::string& line, char by) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, by)) out.push_back(cell);
    if (!line.empty() && line.back() == by) out.push_back("");
    return out;
}

std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    const auto header = split(line, ',');
    std::vector<std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        const auto cells = split(line, ',');
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
        rows.push_back(row);
    }
    return rows;
}

// An hour of the store's rollup: lane 1 and 2 open, some breach, feedback on two scales.
chain::HourEntry hour_of(TimeMs hour, int breach_min, int seed) {
    chain::HourEntry h;
    h.hour = hour;
    for (int lane = 1; lane <= 2; ++lane) {
        controller::LaneTotals t;
        t.open_ms = kHour;
        t.counted_ms = kHour - 60'000 * lane;
        t.unknown_ms = 60'000 * lane;
        t.breach_ms = breach_min * 60'000LL * lane;
        t.queue_ms = t.counted_ms * (lane + seed);
        t.max_queue = 3 + lane;
        t.samples = 100 + seed;
        t.breaches = 2;
        t.kept = 1;
        t.broken = lane - 1;
        h.lanes.push_back({lane, t});
    }
    h.feedback.add(Scale::smiley4, 3, false, std::string("fast"), 5 + seed);
    h.feedback.add(Scale::smiley4, 0, false, std::string("slow"), 1);
    h.feedback.add(Scale::nps, 9, false, std::nullopt, 3);
    h.feedback.add(Scale::nps, 4, false, std::nullopt, 1 + seed);
    h.feedback.add(Scale::smiley4, 0, true, std::nullopt, 2);  // misuse
    return h;
}

chain::PromptEntry prompt_of(const std::string& id, TimeMs raised, PromptState state) {
    chain::PromptEntry p;
    p.id = id;
    p.till = 2;
    p.state = state;
    p.raised = raised;
    p.claimed_at = raised + 4000;
    p.updated = raised + 20'000;
    return p;
}

}  // namespace

TEST_CASE("storeq-hq report: a store's row is the store report's columns on the buckets it sent, with regions, chain, ranks and changes") {
    if (!PostgresFixture::available()) skip_test("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin)");
    PostgresFixture pg;
    TestBroker broker;
    TempDir dir{"storeq-hq-report"};
    write_text_file(dir.file("chain.tree"),
                    "region north = s001, s002\nregion south = s003\nzone default = Europe/Amsterdam\n");
    ChildProcess hq({kHq, "run", "--broker", broker.address(), "--pg", pg.conninfo(), "--tree", dir.file("chain.tree")},
                    dir.file("hq.log"));
    REQUIRE(wait_until([&] { return hq.log_text().find("storeq-hq: ready") != std::string::npos; }, 20'000));
    MqttProbe store(broker.host(), broker.port(), "store");
    store.subscribe("storeq/v1/+/hq/ack");
    store.subscribe("storeq/chain/v1/#");
    REQUIRE(store.wait_connected(5000));

    // What each store sends, and what the figures of the day are made of.
    std::map<std::string, controller::StatsData> day_data;
    std::map<std::string, std::int64_t> last_seq;
    auto send = [&](const std::string& id, std::vector<chain::EntryBody> bodies) {
        chain::Batch b{id, "Europe/Amsterdam", {}};
        for (auto& body : bodies) b.entries.push_back(chain::Entry{++last_seq[id], std::move(body)});
        REQUIRE(store.publish(chain::outbound_topic(id), chain::encode(b), 1));
    };
    auto add_day = [&](const std::string& id, const chain::HourEntry& h) {
        for (const auto& [lane, t] : h.lanes) day_data[id].lanes[{h.hour, lane}] = t;
        day_data[id].feedback[h.hour].merge(h.feedback);
    };
    for (int i = 0; i < 3; ++i) {
        const std::string id = "s00" + std::to_string(i + 1);
        std::vector<chain::EntryBody> bodies;
        for (int hour = 8; hour < 12; ++hour) {
            auto h = hour_of(kDayStart + hour * kHour, 2 * i + hour % 3, i);
            add_day(id, h);
            bodies.push_back(h);
            bodies.push_back(hour_of(kDayStart - kHour * 24 + hour * kHour, 5, i));  // the day before
        }
        for (int p = 0; p < 3; ++p) {
            auto prompt = prompt_of(id + "-p" + std::to_string(p), kDayStart + (9 + p) * kHour, PromptState::fulfilled);
            controller::PromptRecord record;
            record.action = prompt.action;
            record.state = prompt.state;
            record.raised = prompt.raised;
            record.claimed_at = prompt.claimed_at;
            record.updated = prompt.updated;
            day_data[id].prompts.push_back(record);
            bodies.push_back(prompt);
        }
        send(id, std::move(bodies));
    }
    for (const auto& [id, seq] : last_seq)
        REQUIRE(store.wait_for(
            [&](const MqttMessage& m) {
                auto ack = chain::decode_ack(m.payload);
                return m.topic == chain::ack_topic(id) && ack && ack->seq == seq;
            },
            20'000));

    auto report = [&](const std::string& by, const std::string& format) {
        ChildProcess r({kHq, "report", "--pg", pg.conninfo(), "--tree", dir.file("chain.tree"), "--by", by, "--from",
                        "2026-12-02", "--to", "2026-12-02", "--format", format},
                       dir.file("report-" + by + "." + format));
        REQUIRE(r.wait_exit(30'000) == 0);
        return r.log_text();
    };
    const std::string by_store = report("store", "csv");
    INFO(by_store);
    const auto rows = csv_rows(by_store);
    REQUIRE(rows.size() == 3);
    const auto& columns = controller::stats_columns();
    for (const auto& row : rows) {
        const std::string& id = row.at("store");
        INFO("store " << id);
        const auto figures = controller::period_figures(day_data.at(id), kDayStart, kDayStart + 24 * kHour);
        const auto expected = controller::stats_row(figures, "2026-12-02", std::nullopt);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            INFO("column " << columns[c]);
            CHECK(row.at(columns[c]) == controller::cell_text(expected[c]));
        }
        CHECK(row.at("region") == (id == "s003" ? "south" : "north"));
        CHECK_FALSE(row.at("change_compliance_pct").empty());
    }
    // Ranked by compliance: the store with the least breach first.
    CHECK(rows[0].at("rank") == "1");
    CHECK(rows[0].at("store") == "s001");
    CHECK(rows[2].at("store") == "s003");

    const auto regions = csv_rows(report("region", "csv"));
    REQUIRE(regions.size() == 2);
    CHECK(regions[0].at("region") == "north");
    CHECK(std::stod(regions[0].at("open_min")) == Approx(2 * 4 * 2 * 60.0));
    const auto chain_json = nlohmann::json::parse(report("chain", "json"));
    REQUIRE(chain_json.at("rows").size() == 1);
    CHECK(chain_json["rows"][0]["chain"] == "chain");
    CHECK(chain_json["rows"][0]["prompts_raised"] == 9);
    CHECK(chain_json["rows"][0]["open_min"].get<double>() == Approx(3 * 4 * 2 * 60.0));
    CHECK_THAT(report("store", "table"), Catch::StartsWith("rank  store  region  period"));

    // The chain documents (retained): the 28 days to head office's today hold the day.
    // Not asserted when the test runs more than 27 days after 2026-12-02.
    auto doc = store.wait_for([](const MqttMessage& m) { return m.topic == chain::chain_document_topic("28d"); }, 15'000);
    REQUIRE(doc);
    CHECK(doc->retained == false);  // live: published to a subscriber already there
    const auto j = nlohmann::json::parse(doc->payload);
    CHECK(j.at("view") == "28d");
    REQUIRE(j.at("stores").size() == 3);
    CHECK(j.at("regions").size() == 2);
    CHECK(j.at("chain").at("chain") == "chain");
    for (const auto& row : j.at("stores")) {
        CHECK(row.contains("rank"));
        CHECK(row.contains("compliance_pct"));
        CHECK(row.contains("change_nps"));
    }
    if (j.at("from").get<std::string>() <= "2026-12-02") CHECK(j["chain"]["prompts_raised"] == 9);
}
