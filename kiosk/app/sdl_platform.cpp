#include "app/sdl_platform.hpp"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "storeq/log.hpp"
#include "ui/kiosk_theme.hpp"

namespace storeq::kiosk {

struct SdlPlatform::Handles {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    ImGuiContext* imgui = nullptr;
    bool sdl_started = false;
    bool platform_backend = false;
    bool renderer_backend = false;

    ~Handles() {
        if (renderer_backend) ImGui_ImplSDLRenderer_Shutdown();
        if (platform_backend) ImGui_ImplSDL2_Shutdown();
        if (imgui) ImGui::DestroyContext(imgui);
        if (renderer) SDL_DestroyRenderer(renderer);
        if (window) SDL_DestroyWindow(window);
        if (sdl_started) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
};

namespace {

Error sdl_error(std::string where) { return Error{std::move(where), SDL_GetError()}; }

SDL_Renderer* create_software_renderer(SDL_Window* window) {
    // Without this the window surface goes through an accelerated path: ~105 MB RSS
    // and 3x slower first frame instead of ~14 MB (docs/toolchain.md).
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    return SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
}

// Where the window opens: SDL_VIDEO_WINDOW_POS="x,y" (SDL 1.2's variable; SDL 2.26 no
// longer reads it), else the screen's centre. scripts/demo places its windows side by
// side with it; a full-screen kiosk ignores it.
std::pair<int, int> window_position() {
    const char* text = std::getenv("SDL_VIDEO_WINDOW_POS");
    if (!text) return {SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED};
    int x = 0, y = 0;
    char end = 0;
    if (std::sscanf(text, "%d,%d%c", &x, &y, &end) != 2 || x < -16384 || x > 16384 || y < -16384 || y > 16384) {
        log_warn("kiosk", std::string("SDL_VIDEO_WINDOW_POS '") + text + "' is not \"x,y\": the window opens centred");
        return {SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED};
    }
    return {x, y};
}

}  // namespace

Expected<std::unique_ptr<SdlPlatform>> SdlPlatform::create(const PlatformOptions& options) {
    std::unique_ptr<SdlPlatform> platform(new SdlPlatform());
    platform->sdl_ = std::make_unique<Handles>();
    Handles& h = *platform->sdl_;

    // Default priority: an SDL_VIDEODRIVER set in the environment still wins.
    if (options.headless) SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_DEFAULT);
    // A kiosk that loses focus (a notification, a second screen) must stay on screen.
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) return sdl_error("SDL_Init");
    h.sdl_started = true;

    Uint32 window_flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (options.fullscreen) window_flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    const auto [x, y] = window_position();
    h.window = SDL_CreateWindow(options.title.c_str(), x, y, options.width, options.height, window_flags);
    if (!h.window) return sdl_error("SDL_CreateWindow");

    if (!options.software)
        h.renderer = SDL_CreateRenderer(h.window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!h.renderer) {
        if (!options.software) log_info("kiosk", std::string("no accelerated renderer, using software: ") + SDL_GetError());
        h.renderer = create_software_renderer(h.window);
        platform->software_ = true;
    }
    if (!h.renderer) return sdl_error("SDL_CreateRenderer");

    IMGUI_CHECKVERSION();
    h.imgui = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk has no layout to remember, and may have a read-only disk
    io.LogFilename = nullptr;
    if (options.fullscreen) {
        // A touch kiosk shows no pointer, and ImGui must not bring it back every frame.
        io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
        SDL_ShowCursor(SDL_DISABLE);
    }

    int out_w = options.width, out_h = options.height;
    SDL_GetRendererOutputSize(h.renderer, &out_w, &out_h);
    // Everything is laid out for 1024x600 and scales with the smaller ratio, long side
    // to long side, so a portrait handheld (480x800) gets the same text as 800x480.
    const float long_side = static_cast<float>(std::max(out_w, out_h));
    const float short_side = static_cast<float>(std::min(out_w, out_h));
    if (options.dashboard) {
        const float scale = std::max(0.5f, std::min(long_side / 1280.0f, short_side / 800.0f));
        theme::apply_imgui_style(scale);
        platform->fonts_ = load_dashboard_fonts(scale);
    } else {
        const float scale = std::max(0.5f, std::min(long_side / 1024.0f, short_side / 600.0f));
        theme::apply_imgui_style(scale);
        platform->fonts_ = load_kiosk_fonts(scale);
    }

    if (!ImGui_ImplSDL2_InitForSDLRenderer(h.window)) return Error{"ImGui_ImplSDL2_InitForSDLRenderer", "failed"};
    h.platform_backend = true;
    if (!ImGui_ImplSDLRenderer_Init(h.renderer)) return Error{"ImGui_ImplSDLRenderer_Init", "failed"};
    h.renderer_backend = true;
    return platform;
}

SdlPlatform::~SdlPlatform() = default;

void SdlPlatform::process_event(const SDL_Event& event) { ImGui_ImplSDL2_ProcessEvent(&event); }

void SdlPlatform::begin_frame(const std::optional<InjectedMouse>& mouse) {
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    if (mouse) {
        // Must come after the SDL backend (which overwrites both) and before NewFrame().
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(mouse->x, mouse->y);
        io.MouseDown[0] = mouse->down;
    }
    ImGui::NewFrame();
}

void SdlPlatform::render() {
    ImGui::Render();
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(theme::palette().background);
    SDL_SetRenderDrawColor(sdl_->renderer, static_cast<Uint8>(bg.x * 255), static_cast<Uint8>(bg.y * 255),
                           static_cast<Uint8>(bg.z * 255), 255);
    SDL_RenderClear(sdl_->renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
}

void SdlPlatform::present() { SDL_RenderPresent(sdl_->renderer); }

Expected<SdlPlatform::Pixels> SdlPlatform::read_pixels() const {
    Pixels pixels;
    if (SDL_GetRendererOutputSize(sdl_->renderer, &pixels.width, &pixels.height) != 0)
        return sdl_error("SDL_GetRendererOutputSize");
    pixels.rgba.resize(static_cast<std::size_t>(pixels.width) * static_cast<std::size_t>(pixels.height) * 4);
    // RGBA32 is R,G,B,A bytes in memory whatever the endianness: what stbi_write_png wants.
    if (SDL_RenderReadPixels(sdl_->renderer, nullptr, SDL_PIXELFORMAT_RGBA32, pixels.rgba.data(), pixels.width * 4) != 0)
        return sdl_error("SDL_RenderReadPixels");
    return pixels;
}

Expected<void> SdlPlatform::write_png(const std::string& path) const {
    auto pixels = read_pixels();
    if (!pixels) return pixels.error();
    if (stbi_write_png(path.c_str(), pixels->width, pixels->height, 4, pixels->rgba.data(), pixels->width * 4) == 0)
        return Error{path, "could not write PNG"};
    return {};
}

std::string SdlPlatform::renderer_name() const {
    SDL_RendererInfo info{};
    if (SDL_GetRendererInfo(sdl_->renderer, &info) != 0 || !info.name) return "unknown";
    return info.name;
}

}  // namespace storeq::kiosk
