// A full disk at the store box: feedback waits at the broker, and the promise is still
// kept. Needs root (it mounts a tmpfs); elsewhere the test is reported as skipped.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <random>
#include <set>

#include "skip_test.hpp"
#include "storeq/ids.hpp"
#include "store_fixture.hpp"

using namespace storeq;
using namespace storeq::test;

namespace {
// A tmpfs, unmounted when done.
struct Disk {
    std::string path;
    bool mounted = false;
    Disk(const std::string& dir, const char* size) : path(dir) {
        mounted = ::mount("tmpfs", path.c_str(), "tmpfs", 0, size) == 0;
    }
    ~Disk() {
        if (mounted) ::umount2(path.c_str(), MNT_DETACH);
    }
};

bool can_mount_tmpfs() {
    TempDir dir{"storeq-mount-probe"};
    return Disk(dir.path().string(), "size=1m").mounted;
}

// Fills the file system with one file, to the last byte it takes.
void fill(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    std::string block(64 * 1024, 'x');
    while (::write(fd, block.data(), block.size()) > 0) {}
    for (std::size_t small = 4096; small > 0; small /= 2)
        while (::write(fd, block.data(), small) > 0) {}
    ::close(fd);
}

std::set<std::string> published_prompt_ids(MqttProbe& probe) {
    std::set<std::string> ids;
    for (const auto& m : probe.messages()) {
        auto topic = parse_topic(m.topic);
        if (topic && topic->kind == TopicKind::prompt && !m.payload.empty()) ids.insert(topic->prompt_id);
    }
    return ids;
}
}  // namespace

TEST_CASE("with the disk full, prompts are raised, stored and claimed while feedback waits at the broker") {
    if (!can_mount_tmpfs()) skip_test("cannot mount a tmpfs here (needs root): the disk-full prompt test did not run");
    TempDir disk_dir{"storeq-full-disk"};
    Disk disk(disk_dir.path().string(), "size=24m");
    REQUIRE(disk.mounted);
    StoreFixtureOptions options;
    options.db_dir = disk.path;
    StoreFixture store(options);
    const std::string& id = store.options.store;
    store.publish(lane_state_topic(id, 1), lane_open_payload(true), true);
    REQUIRE(wait_until([&] { return store.count_rows("SELECT count(*) FROM lane_states") == 1; }, 10'000));

    fill(disk.path + "/filler");
    // The queue grows on a full disk: the prompt goes out...
    store.publish(queue_topic(id, 1), count_payload(4, 1, CountSource::manual), true);
    auto raised = store.wait_prompt([](const Prompt& p) { return p.state == PromptState::open; }, 20'000);
    REQUIRE(raised);
    // ...and every prompt anyone saw is in the database.
    for (const auto& prompt_id : published_prompt_ids(store.probe))
        CHECK(store.count_rows("SELECT count(*) FROM prompts WHERE id = '" + prompt_id + "'") == 1);

    // Feedback meanwhile waits at the broker, and the status says why.
    std::mt19937_64 rng(3);
    constexpr int kFeedback = 50;
    for (int i = 0; i < kFeedback; ++i) {
        Feedback f{make_uuid_v7(wall_clock_ms(), rng), wall_clock_ms(), Scale::smiley4, i % 4, std::nullopt,
                   FollowUp::none, "en", false};
        store.publish(feedback_topic(id, "exit-1"), encode(f));
    }
    CHECK(wait_until([&] { auto s = store.last_status(); return s && s->storage == std::string("failing"); }, 10'000));

    // Claims and the till opening still go through.
    store.publish(claim_topic(id, raised->id, "anna"), encode(Claim{"anna", wall_clock_ms(), std::nullopt}));
    CHECK(store.wait_prompt([&](const Prompt& p) { return p.id == raised->id && p.state == PromptState::claimed; }));
    store.publish(lane_state_topic(id, 2), lane_open_payload(true), true);
    CHECK(store.wait_prompt([&](const Prompt& p) { return p.id == raised->id && p.state == PromptState::fulfilled; }));

    // Room again: every feedback arrives, once, with no restart; the status says ok.
    REQUIRE(::unlink((disk.path + "/filler").c_str()) == 0);
    CHECK(wait_until([&] { return stored_feedback(store.db_path) == kFeedback; }, 30'000));
    CHECK(store.count_rows("SELECT count(*) FROM feedback") == kFeedback);
    CHECK(wait_until([&] { auto s = store.last_status(); return s && s->storage == std::string("ok"); }, 10'000));
    CHECK(store.count_rows("SELECT count(*) FROM prompt_transitions WHERE prompt_id = '" + raised->id + "'") == 3);
    CHECK(store.controller->running());
}
