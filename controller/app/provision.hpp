#pragma once
// `storeq-controller provision`: broker accounts for one store. Writes, into --out DIR:
//   passwords             mosquitto password_file (hashed by mosquitto_passwd -U)
//   acl                   mosquitto acl_file (device_accounts.hpp says who may do what)
//   devices/NAME.credentials  one per device, for its --credentials option (mode 0600)
// Run again after adding tills, kiosks or handhelds: existing devices keep their
// passwords (read back from devices/), new ones get fresh random ones.
#include <string>
#include <vector>

namespace storeq::controller {

inline constexpr const char* kProvisionUsage =
    "usage: storeq-controller provision --config STORE.conf --store ID --out DIR [--hq HOST:PORT [--hq-ca FILE]]\n"
    "Broker accounts, their hashed password file and the ACL, from the store's configuration.\n"
    "  --config FILE  the store's configuration: tills, kiosks, handhelds (docs/rules.md) (required)\n"
    "  --store ID     the store id used in topics (required)\n"
    "  --out DIR      folder for passwords, acl and devices/*.credentials (created; required)\n"
    "  --hq HOST:PORT the central broker of head office (needs head_office = on): also writes\n"
    "                 hq/bridge.conf for this store's broker, hq/central-acl and hq/central-password\n"
    "                 for the central one (docs/chain.md)\n"
    "  --hq-ca FILE   head office's CA certificate: the bridge uses TLS (without it: plain, loopback only)\n"
    "  --help, -h     this text\n"
    "exit codes: 0 written; 1 the files could not be written; 2 bad command line or configuration\n";

// args: what follows "provision". Returns the exit code: 0, 2 bad arguments or
// configuration, 1 the files could not be written.
int run_provision(const std::vector<std::string>& args);

}  // namespace storeq::controller
