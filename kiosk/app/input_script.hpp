#pragma once
// Scripted input (--input-script FILE) to drive any role headless, for tests, demos and
// screenshots. One step a line; '#' starts a comment:
//   tap X Y            press and release at pixel (X, Y)
//   hold X Y MS        press at (X, Y), keep it down MS milliseconds, release
//   wait MS            let MS milliseconds pass (the kiosk keeps running meanwhile)
//   screenshot FILE    write the current screen as PNG
// The kiosk exits when the script ends.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storeq/expected.hpp"

namespace storeq::kiosk {

struct TapStep { float x = 0, y = 0; };
struct HoldStep { float x = 0, y = 0; int ms = 0; };
struct WaitStep { int ms = 0; };
struct ScreenshotStep { std::string path; };
using ScriptStep = std::variant<TapStep, HoldStep, WaitStep, ScreenshotStep>;

// Pure: the error names the line.
Expected<std::vector<ScriptStep>> parse_input_script(std::string_view text);

class KioskApp;
class SdlPlatform;
// Runs the steps against a live app; returns the first failure (a screenshot not written).
Expected<void> run_input_script(const std::vector<ScriptStep>& steps, KioskApp& app, SdlPlatform& platform);

}  // namespace storeq::kiosk
