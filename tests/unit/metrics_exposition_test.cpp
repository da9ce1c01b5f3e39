// Prometheus text format 0.0.4 (storeq/metrics/exposition.hpp), line by line.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "storeq/metrics/exposition.hpp"

using namespace storeq::metrics;

TEST_CASE("metrics: counters and gauges with HELP, TYPE and escaped labels") {
    Family rejected{"storeq_messages_rejected_total", "Messages rejected, by reason.", MetricType::counter, {}};
    rejected.samples.push_back({{{"reason", "queue: count"}}, 3, {}});
    rejected.samples.push_back({{{"reason", "a \"quoted\" \\ back\nslash"}}, 1, {}});
    Family lanes{"storeq_lane_queue_length", "People in the lane.\nThe one paying counted.", MetricType::gauge, {}};
    lanes.samples.push_back({{{"lane", "1"}}, 4, {}});
    lanes.samples.push_back({{{"lane", "2"}}, 0.5, {}});
    Family empty{"storeq_nothing", "No samples: left out.", MetricType::gauge, {}};
    CHECK(render_text({rejected, lanes, empty}) ==
          "# HELP storeq_messages_rejected_total Messages rejected, by reason.\n"
          "# TYPE storeq_messages_rejected_total counter\n"
          "storeq_messages_rejected_total{reason=\"queue: count\"} 3\n"
          "storeq_messages_rejected_total{reason=\"a \\\"quoted\\\" \\\\ back\\nslash\"} 1\n"
          "# HELP storeq_lane_queue_length People in the lane.\\nThe one paying counted.\n"
          "# TYPE storeq_lane_queue_length gauge\n"
          "storeq_lane_queue_length{lane=\"1\"} 4\n"
          "storeq_lane_queue_length{lane=\"2\"} 0.5\n");
}

TEST_CASE("metrics: a histogram's buckets are cumulative, with +Inf, _sum and _count") {
    Histogram h({0.001, 0.01, 0.1});
    for (double v : {0.0005, 0.001, 0.002, 0.05, 7.0}) h.observe(v);
    CHECK(h.count() == 5);
    Family commit{"storeq_commit_duration_seconds", "SQLite commits.", MetricType::histogram, {}};
    commit.samples.push_back({{}, 0, h});
    CHECK(render_text({commit}) ==
          "# HELP storeq_commit_duration_seconds SQLite commits.\n"
          "# TYPE storeq_commit_duration_seconds histogram\n"
          "storeq_commit_duration_seconds_bucket{le=\"0.001\"} 2\n"
          "storeq_commit_duration_seconds_bucket{le=\"0.01\"} 3\n"
          "storeq_commit_duration_seconds_bucket{le=\"0.1\"} 4\n"
          "storeq_commit_duration_seconds_bucket{le=\"+Inf\"} 5\n"
          "storeq_commit_duration_seconds_sum 7.0535\n"
          "storeq_commit_duration_seconds_count 5\n");
    Histogram labelled({1});
    Family step{"storeq_x_seconds", "h", MetricType::histogram, {{{{"kind", "a"}}, 0, labelled}}};
    CHECK(render_text({step}).find("storeq_x_seconds_bucket{kind=\"a\",le=\"1\"} 0\n") != std::string::npos);
}

TEST_CASE("metrics: values as Prometheus parses them") {
    CHECK(format_value(0) == "0");
    CHECK(format_value(12) == "12");
    CHECK(format_value(0.1) == "0.1");
    CHECK(format_value(1e-4) == "0.0001");
    CHECK(format_value(2.5e-6) == "0.0000025");
    CHECK(format_value(1e-12) == "1e-12");
    CHECK(format_value(-3) == "-3");
    CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(format_value(std::nan("")) == "NaN");
    CHECK(std::string(kContentType) == "text/plain; version=0.0.4; charset=utf-8");
}
