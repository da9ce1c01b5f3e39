#pragma once
// One way to read STOREQ_UPDATE_GOLDEN, for every golden-file test (screenshots, report
// exports). "1" asks to rewrite the golden files; unset, empty or anything else compares.
// In CI (CI set, and not "false" or "0": CI runners set CI=true) a rewrite is refused, so
// a golden file can never be regenerated where nobody looks at the change; the test then
// fails, saying so. scripts/test refuses the same combination before it builds.
#include <cstdlib>
#include <string>

namespace storeq::test {

enum class GoldenMode { compare, update, refused_in_ci };

inline GoldenMode golden_mode() {
    const char* update = std::getenv("STOREQ_UPDATE_GOLDEN");
    if (!update || std::string(update) != "1") return GoldenMode::compare;
    const char* ci = std::getenv("CI");
    if (ci && *ci && std::string(ci) != "false" && std::string(ci) != "0") return GoldenMode::refused_in_ci;
    return GoldenMode::update;
}

inline constexpr const char* kGoldenRefusedInCi =
    "STOREQ_UPDATE_GOLDEN=1 while CI is set: golden files are never rewritten in CI";

}  // namespace storeq::test
