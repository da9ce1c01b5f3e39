#include "model/kiosk_texts.hpp"

namespace storeq::kiosk {

const std::map<std::string, std::string>& builtin_english() {
    static const std::map<std::string, std::string> texts = {
        {"language_name", "English"},
        {"question", "How was your visit today?"},
        {"question_nps", "How likely are you to recommend us to a friend?"},
        {"hint_faces", "Tap a face"},
        {"hint_numbers", "Tap a number"},
        {"nps_low", "0 = not at all likely"},
        {"nps_high", "10 = extremely likely"},
        {"follow_up_positive", "Great! What did you like most?"},
        {"follow_up_negative", "Sorry to hear that. What was the main problem?"},
        {"skip", "Skip"},
        {"thank_you", "Thank you!"},
        {"thank_you_positive", "Have a nice day."},
        {"thank_you_negative", "We are sorry. We will do better."},
        {"reason.staff", "Friendly staff"},
        {"reason.speed", "Quick checkout"},
        {"reason.clean", "Clean store"},
        {"reason.prices", "Prices"},
        {"reason.range", "Products"},
        {"reason.fresh", "Fresh food"},
        {"reason.queue", "Waiting time"},
        {"reason.stock", "Out of stock"},
        {"reason.unfriendly", "Staff"},
        {"reason.dirty", "Cleanliness"},
        {"reason.expensive", "Prices"},
        {"reason.other", "Something else"},
        // The manager dashboard's banners (it reads its texts from `en`).
        {"manager.storage_failing",
         "Storage failing at the store controller: feedback waits on the kiosks and the broker; prompts go on"},
        {"manager.controller_offline", "Store controller offline"},
    };
    return texts;
}

std::string text_for(const KioskConfig& config, std::string_view locale, std::string_view key) {
    const std::string k(key);
    for (std::string_view l : {locale, std::string_view(config.locale), std::string_view("en")}) {
        auto table = config.texts.find(std::string(l));
        if (table == config.texts.end()) continue;
        if (auto it = table->second.find(k); it != table->second.end() && !it->second.empty()) return it->second;
    }
    const auto& english = builtin_english();
    if (auto it = english.find(k); it != english.end()) return it->second;
    // An unknown reason code shows as itself, made readable: "long_wait" -> "long wait".
    std::string fallback = k.starts_with("reason.") ? k.substr(7) : k;
    for (char& c : fallback)
        if (c == '_') c = ' ';
    return fallback;
}

}  // namespace storeq::kiosk
