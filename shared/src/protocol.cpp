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

std::optional<Scale> scale_named(std::string_view name) {
    for (Scale v : {Scale::smiley4, Scale::smiley5, Scale::nps})
        if (to_string(v) == name) return v;
    return std::nullopt;
}

std::string_view to_string(AlertRuleKind v) {
    switch (v) {
        case AlertRuleKind::negative_share: return "negative_share";
        case AlertRuleKind::happy_index_below: return "happy_index_below";
        case AlertRuleKind::detractors_in_row: return "detractors_in_row";
        case AlertRuleKind::great_hour: return "great_hour";
        case AlertRuleKind::breach_unanswered: return "breach_unanswered";
        case AlertRuleKind::all_tills_open_long: return "all_tills_open_long";
        case AlertRuleKind::sensor_silent: return "sensor_silent";
        case AlertRuleKind::compliance_below: return "compliance_below";
        case AlertRuleKind::kiosk_offline: return "kiosk_offline";
        case AlertRuleKind::outbox_growing: return "outbox_growing";
        case AlertRuleKind::head_office_cut: return "head_office_cut";
    }
    return "?";
}

AlertArea area_of(AlertRuleKind kind) {
    switch (kind) {
        case AlertRuleKind::negative_share:
        case AlertRuleKind::happy_index_below:
        case AlertRuleKind::detractors_in_row:
        case AlertRuleKind::great_hour: return AlertArea::feedback;
        case AlertRuleKind::breach_unanswered:
        case AlertRuleKind::all_tills_open_long:
        case AlertRuleKind::sensor_silent:
        case AlertRuleKind::compliance_below: return AlertArea::queue;
        case AlertRuleKind::kiosk_offline:
        case AlertRuleKind::outbox_growing:
        case AlertRuleKind::head_office_cut: return AlertArea::device;
    }
    return AlertArea::device;
}

std::string_view to_string(AlertArea v) {
    switch (v) {
        case AlertArea::feedback: return "feedback";
        case AlertArea::queue: return "queue";
        case AlertArea::device: return "device";
    }
    return "?";
}

std::string_view to_string(AlertState v) {
    switch (v) {
        case AlertState::open: return "open";
        case AlertState::acknowledged: return "acknowledged";
        case AlertState::closed: return "closed";
    }
    return "?";
}

std::string_view to_string(AlertTone v) { return v == AlertTone::good ? "good" : "bad"; }

std::string_view to_string(AlertAction v) { return v == AlertAction::close ? "close" : "acknowledge"; }

}  // namespace storeq
