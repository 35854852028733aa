// The unit tests' heap on the emulated board: the 16 MiB PSRAM QEMU's mps2
// models at 0x21000000 (the dialogue runner keeps whole transcripts and a
// 1 MiB reply line in std::string; 4 MiB of SSRAM is not enough). Replaces
// newlib's weak _sbrk, which would grow from `end` toward the stack.
#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace {
constexpr std::uintptr_t kPsramStart = 0x21000000;
constexpr std::uintptr_t kPsramEnd = kPsramStart + 16 * 1024 * 1024;
std::uintptr_t g_break = kPsramStart;
}  // namespace

extern "C" void* _sbrk(std::ptrdiff_t increment) {
    if (increment < 0 || kPsramEnd - g_break < static_cast<std::uintptr_t>(increment)) {
        errno = ENOMEM;
        return reinterpret_cast<void*>(-1);
    }
    const std::uintptr_t old = g_break;
    g_break += static_cast<std::uintptr_t>(increment);
    return reinterpret_cast<void*>(old);
}
