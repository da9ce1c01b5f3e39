// LD_PRELOAD probe for bench/kiosk_display.cpp: wraps SDL_RenderPresent and appends the
// CLOCK_MONOTONIC time (ns) after each of the first few presents to the file named by
// $STOREQ_BENCH_PRESENT_LOG. Measures the real storeq-kiosk binary, unchanged, from exec
// to its first frame on screen.
#include <SDL.h>
#include <dlfcn.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace {
constexpr int kPresentsLogged = 4;
using PresentFn = void (*)(SDL_Renderer*);
}  // namespace

extern "C" void SDL_RenderPresent(SDL_Renderer* renderer) {
    static const PresentFn real = reinterpret_cast<PresentFn>(dlsym(RTLD_NEXT, "SDL_RenderPresent"));
    static int logged = 0;
    if (real) real(renderer);
    if (logged >= kPresentsLogged) return;
    ++logged;
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const char* path = std::getenv("STOREQ_BENCH_PRESENT_LOG");
    if (!path) return;
    if (std::FILE* file = std::fopen(path, "a")) {
        std::fprintf(file, "%lld\n", static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec);
        std::fclose(file);
    }
}
