#include "storeq/protocol.hpp"

namespace storeq {

int max_score(Scale scale) {
    switch (scale) {
        case Scale::smiley4: return 3;
        case Scale::smiley5: return 4;
        case Scale::nps: return 10;
    }
    return 0;
}

bool is_final(PromptState state) {
    return state == PromptState::fulfilled || state == PromptState::cancelled ||
           state == PromptState::expired;
}

std::string_view to_string(Scale v) {
    switch (v) {
        case Scale::smiley4: return "smiley4";
        case Scale::smiley5: return "smiley5";
        case Scale::nps: return "nps";
    }
    return "?";
}

std::string_view to_string(FollowUp v) {
    switch (v) {
        case FollowUp::complete: return "complete";
        case FollowUp::skip: return "skip";
        case FollowUp::timeout: return "timeout";
        case FollowUp::none: return "none";
    }
    return "?";
}

std::string_view to_string(CountSource v) {
    switch (v) {
        case CountSource::sensor: return "sensor";
        case CountSource::manual: return "manual";
        case CountSource::pos: return "pos";
        case CountSource::sim: return "sim";
    }
    return "?";
}

std::string_view to_string(PromptAction v) {
    switch (v) {
        case PromptAction::open_till: return "open_till";
        case PromptAction::all_tills_open: return "all_tills_open";
        case PromptAction::close_till: return "close_till";
        case PromptAction::balance: return "balance";
        case PromptAction::prepare_till: return "prepare_till";
    }
    return "?";
}

std::string_view to_string(PromptState v) {
    switch (v) {
        case PromptState::open: return "open";
        case PromptState::claimed: return "claimed";
        case PromptState::fulfilled: return "fulfilled";
        case PromptState::cancelled: return "cancelled";
        case PromptState::expired: return "expired";
    }
    return "?";
}

std::string_view to_string(DeviceKind v) {
    switch (v) {
        case DeviceKind::kiosk: return "kiosk";
        case DeviceKind::lane: return "lane";
        case DeviceKind::staff: return "staff";
        case DeviceKind::manager: return "manager";
        case DeviceKind::sensor: return "sensor";
        case DeviceKind::pos: return "pos";
        case DeviceKind::controller: return "controller";
        case DeviceKind::sim: return "sim";
    }
    return "?";
}

}  // namespace storeq
