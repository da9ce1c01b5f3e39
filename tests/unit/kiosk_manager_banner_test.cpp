// The manager dashboard's controller banner (issue 9, defect 3): the controller's retained
// Status says its storage is failing, and the dashboard says so too; an "ok" status clears
// it, an offline controller is said instead, and nothing shows before any Status.
#include <catch2/catch.hpp>

#include "model/kiosk_update.hpp"
#include "model/manager_view.hpp"

using namespace storeq;
using namespace storeq::kiosk;

namespace {

KioskConfig manager_config() {
    KioskConfig config;
    config.role = Role::manager;
    config.store = "store-1";
    config.device = "office";
    return config;
}

Status controller_status(bool online, std::optional<std::string> storage, TimeMs ts) {
    Status status;
    status.online = online;
    status.kind = DeviceKind::controller;
    status.version = "1.0.0";
    status.ts = ts;
    status.storage = std::move(storage);
    return status;
}

KioskState received(KioskState state, const KioskConfig& config, const Status& status) {
    return update(std::move(state), Event{ControllerStatusReceived{status}}, config, status.ts).state;
}

const std::string kFailingText =
    "Storage failing at the store controller: feedback waits on the kiosks and the broker; prompts go on";

}  // namespace

TEST_CASE("manager banner: none before any controller status", "[kiosk][manager]") {
    const auto config = manager_config();
    const KioskState state;
    CHECK_FALSE(state.controller_status);
    CHECK_FALSE(make_manager_view(state, config).banner);
    // Other events leave it so.
    const auto connected = update(state, Event{BrokerConnectionChanged{true}}, config, 1000).state;
    CHECK_FALSE(make_manager_view(connected, config).banner);
}

TEST_CASE("manager banner: storage failing shows it, storage ok clears it", "[kiosk][manager]") {
    const auto config = manager_config();
    KioskState state = received(KioskState{}, config, controller_status(true, "ok", 1000));
    REQUIRE(state.controller_status);
    CHECK_FALSE(make_manager_view(state, config).banner);

    state = received(state, config, controller_status(true, "failing", 2000));
    auto view = make_manager_view(state, config);
    REQUIRE(view.banner);
    CHECK(view.banner->key == "storage_failing");
    CHECK(view.banner->text == kFailingText);
    CHECK(view.banner->tone == Tone::bad);

    state = received(state, config, controller_status(true, "ok", 3000));
    CHECK_FALSE(make_manager_view(state, config).banner);
}

TEST_CASE("manager banner: an offline controller is said, and an online one clears it", "[kiosk][manager]") {
    const auto config = manager_config();
    KioskState state = received(KioskState{}, config, controller_status(true, "failing", 5000));
    // The controller's last-will: offline, no storage, no time of its own. It still wins
    // over the newer-stamped status before it: the last one received is the news.
    state = received(state, config, controller_status(false, std::nullopt, 0));
    auto view = make_manager_view(state, config);
    REQUIRE(view.banner);
    CHECK(view.banner->key == "controller_offline");
    CHECK(view.banner->text == "Store controller offline");
    CHECK(view.banner->tone == Tone::warn);

    state = received(state, config, controller_status(true, "ok", 9000));
    CHECK_FALSE(make_manager_view(state, config).banner);
    // A status without the storage field (an older controller) shows nothing either.
    state = received(state, config, controller_status(true, std::nullopt, 9500));
    CHECK_FALSE(make_manager_view(state, config).banner);
}

TEST_CASE("manager banner: its text comes from the texts of en, built-in English otherwise", "[kiosk][manager]") {
    auto config = manager_config();
    config.locale = "nl";
    config.texts["nl"]["manager.storage_failing"] = "Opslag faalt";
    const auto failing = controller_status(true, "failing", 1000);
    // The dashboard is English: a Dutch store default does not change it...
    config.texts["en"]["question"] = "How was your visit today?";
    CHECK(make_manager_view(received(KioskState{}, config, failing), config).banner->text == kFailingText);
    // ... and the en file's text is the one shown.
    config.texts["en"]["manager.storage_failing"] = "Storage failing (from en.json)";
    CHECK(make_manager_view(received(KioskState{}, config, failing), config).banner->text ==
          "Storage failing (from en.json)");
}

TEST_CASE("manager banner: other roles keep no controller status", "[kiosk][manager]") {
    auto config = manager_config();
    for (Role role : {Role::feedback, Role::lane, Role::staff}) {
        config.role = role;
        CHECK_FALSE(received(KioskState{}, config, controller_status(true, "failing", 1000)).controller_status);
    }
}

TEST_CASE("manager header: live only while connected and the controller is online", "[kiosk][manager]") {
    const auto config = manager_config();
    KioskState state;
    auto view = make_manager_view(state, config);
    CHECK_FALSE(view.live);
    CHECK(view.link == "offline: figures may be old");

    state = update(state, Event{BrokerConnectionChanged{true}}, config, 1000).state;
    view = make_manager_view(state, config);
    CHECK(view.live);
    CHECK(view.link == "live");

    // The controller's last-will: the broker is there, the figures are not being refreshed.
    state = received(state, config, controller_status(false, std::nullopt, 0));
    view = make_manager_view(state, config);
    CHECK_FALSE(view.live);
    CHECK(view.link == "controller offline: figures may be old");

    state = received(state, config, controller_status(true, "ok", 9000));
    CHECK(make_manager_view(state, config).live);
}
