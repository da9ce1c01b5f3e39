# Cross-building storeq for arm64 (Raspberry Pi-class store boxes and kiosks) on a Debian 12
# amd64 machine, with Debian's crossbuild-essential-arm64 and the arm64 -dev packages
# installed under multiarch (dpkg --add-architecture arm64; scripts/package installs them):
#   cmake -S . -B build/package-arm64 --toolchain cmake/aarch64-linux-gnu.cmake ...
# No sysroot: multiarch puts arm64 headers and libraries in /usr/include/aarch64-linux-gnu
# and /usr/lib/aarch64-linux-gnu, where Debian's cross compiler already looks.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Configure-time checks and catch_discover_tests run arm64 programs through qemu-user-static
# (called by name: binfmt_misc may not be registered on the build machine).
find_program(STOREQ_QEMU_AARCH64 qemu-aarch64-static)
if(STOREQ_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${STOREQ_QEMU_AARCH64}")
endif()
# pkg-config reads the arm64 .pc files only (never the build machine's).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "${STOREQ_CROSS_EXTRA_PKG_CONFIG_PATH}")
# Programs (the build's tools) from the build machine; libraries, headers and CMake
# packages only from the arm64 side (and the extra prefixes scripts/package unpacks).
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
