#include "app/input_script.hpp"

#include <SDL.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "app/kiosk_app.hpp"
#include "app/sdl_platform.hpp"
#include "model/overloaded.hpp"
#include "storeq/text_lines.hpp"

namespace storeq::kiosk {
namespace {


// Lets `ms` pass as the real loop would: events from the network applied, the screen
// redrawn when something changed.
// `held`: a press kept down meanwhile (hold steps), so redraws do not let go of it.
void run_for(KioskApp& app, int ms, const std::optional<InjectedMouse>& held = std::nullopt) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    do {
        SDL_PumpEvents();
        if (app.apply_pending()) app.render_frame(held);
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 10)));
    } while (std::chrono::steady_clock::now() < end);
}

}  // namespace

Expected<std::vector<ScriptStep>> parse_input_script(std::string_view text) {
    std::vector<ScriptStep> steps;
    for (const TextLine& line : content_lines(text)) {
        std::istringstream words{std::string(line.text)};
        std::string verb;
        words >> verb;
        const std::string where = "line " + std::to_string(line.number);
        auto done = [&] {
            std::string extra;
            return !(words >> extra);
        };
        if (verb == "tap") {
            TapStep step;
            if (!(words >> step.x >> step.y) || !done()) return Error{where, "expected: tap X Y"};
            steps.emplace_back(step);
        } else if (verb == "hold") {
            HoldStep step;
            if (!(words >> step.x >> step.y >> step.ms) || step.ms < 0 || !done())
                return Error{where, "expected: hold X Y MS"};
            steps.emplace_back(step);
        } else if (verb == "wait") {
            WaitStep step;
            if (!(words >> step.ms) || step.ms < 0 || !done()) return Error{where, "expected: wait MS"};
            steps.emplace_back(step);
        } else if (verb == "screenshot") {
            std::string rest(trim(line.text.substr(verb.size())));
            if (rest.empty()) return Error{where, "expected: screenshot FILE"};
            steps.emplace_back(ScreenshotStep{rest});
        } else {
            return Error{where, "unknown step '" + verb + "' (tap, hold, wait, screenshot)"};
        }
    }
    return steps;
}

Expected<void> run_input_script(const std::vector<ScriptStep>& steps, KioskApp& app, SdlPlatform& platform) {
    app.apply_pending();
    app.render_frame();  // the first frame lays the screen out
    for (const auto& step : steps) {
        Expected<void> result;
        std::visit(Overloaded{
                       [&](const TapStep& s) {
                           app.click(s.x, s.y);
                           app.render_frame(InjectedMouse{s.x, s.y, false});
                       },
                       [&](const HoldStep& s) {
                           app.press(s.x, s.y, [&] { run_for(app, s.ms, InjectedMouse{s.x, s.y, true}); });
                           app.render_frame(InjectedMouse{s.x, s.y, false});
                       },
                       [&](const WaitStep& s) { run_for(app, s.ms); },
                       [&](const ScreenshotStep& s) {
                           app.apply_pending();
                           // Off-screen pointer: no pressed look left from the last tap.
                           app.render_frame(InjectedMouse{-100, -100, false});
                           app.render_frame(InjectedMouse{-100, -100, false});
                           result = platform.write_png(s.path);
                       },
                   },
                   step);
        if (!result) return result;
    }
    return {};
}

}  // namespace storeq::kiosk
