// LLVM's FuzzedDataProvider, header-only. clang finds it among its own
// headers; for the replay build with another compiler, fuzz/meson.build copies
// it from clang's resource directory into the build directory. Both builds
// therefore decode an input the same way, so a finding replays anywhere.
#pragma once

#if __has_include(<fuzzer/FuzzedDataProvider.h>)
#include <fuzzer/FuzzedDataProvider.h>
#else
#include "FuzzedDataProvider.h"
#endif
