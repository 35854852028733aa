// ARM semihosting (the "Semihosting for AArch32 and AArch64" specification):
// the debugger, here QEMU with -semihosting, carries out a request the
// program makes with BKPT 0xAB on M-profile. Only what the firmware needs.
#pragma once

#include <cstdint>

namespace board {

inline std::uintptr_t semihost(std::uintptr_t op, const void* arg) {
    register std::uintptr_t r0 asm("r0") = op;
    register const void* r1 asm("r1") = arg;
    asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/// SYS_WRITE0: a NUL-terminated string on the host's stdout.
inline void host_print(const char* text) { semihost(0x04, text); }

/// SYS_EXIT: ends the emulation. QEMU exits 0 for ADP_Stopped_ApplicationExit
/// and 1 for any other reason, so a failure is seen as a non-zero exit code.
[[noreturn]] inline void host_exit(int status) {
    const std::uintptr_t reason = status == 0 ? 0x20026 /* ApplicationExit */ : 0x20023 /* RunTimeErrorUnknown */;
    semihost(0x18, reinterpret_cast<const void*>(reason));
    for (;;) {
    }
}

}  // namespace board
