#pragma once
// Head office's PostgreSQL schema (docs/hq.md "Schema"): migrations by version, and the
// monthly partitions. Pure: SQL text only; hq/app/hq_store.cpp runs it.
#include <string>
#include <vector>

#include "storeq/protocol.hpp"

namespace storeq::hq {

// Step i (0-based) takes the schema from version i to i + 1. Shipped steps are never
// edited: a change is a new step at the end.
const std::vector<std::string>& schema_migrations();

// Tables partitioned by month (a `month` column, yyyymm of the UTC time they are filed
// under): each gets a partition per month on demand, plus a DEFAULT partition.
const std::vector<std::string>& monthly_tables();

// 202612 for an instant in December 2026 (UTC).
int month_key(TimeMs t);
// The statement that makes table's partition for month (idempotent): e.g.
// CREATE TABLE IF NOT EXISTS feedback_202612 PARTITION OF feedback FOR VALUES FROM (202612) TO (202613)
std::string partition_sql(const std::string& table, int month);

}  // namespace storeq::hq
