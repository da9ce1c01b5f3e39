#pragma once
// `storeq-hq run`: the stores' outbound streams from the central broker into PostgreSQL,
// then acks (docs/hq.md "Running storeq-hq"). One thread does the work; the MQTT network
// thread only queues what arrives.
#include <atomic>
#include <vector>
#include <string>

namespace storeq::hq {

// Runs until `stop` is set (SIGTERM/SIGINT). 0 on a clean stop, 2 on a bad command line,
// tree or credentials, 1 if it cannot go on.
int run_service(const std::vector<std::string>& args, const std::atomic<bool>& stop);

}  // namespace storeq::hq
