#pragma once
// What `storeq-controller provision --hq HOST:PORT` writes for a store in a chain
// (docs/chain.md): the store broker's bridge to the central broker, which carries only
// the store's outbound log out and head office's ack in, and the central broker's entries
// for the store's bridge account, which may write only its own outbound topic and read
// only its own ack. Pure: texts in, texts out.
#include <string>
#include <string_view>

namespace storeq::controller {

struct HeadOfficeBridge {
    std::string store;
    std::string host;
    int port = 8883;
    std::string username;   // the store's account at the central broker (the store id)
    std::string password;
    std::string ca_file;    // empty: no TLS (a loopback demo only)
};

// A mosquitto.conf fragment for the store broker (include_dir, or appended).
std::string bridge_conf_text(const HeadOfficeBridge& bridge);
// The central broker's acl_file entry for this store's bridge account.
std::string central_acl_text(std::string_view store, std::string_view username);

}  // namespace storeq::controller
