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

/// Random octets from the host's /dev/urandom (SYS_OPEN, SYS_READ, SYS_CLOSE):
/// QEMU's mps2-an386 has no random number generator, so the emulated device
/// borrows the host's; a real device reads its TRNG here. False on failure
/// (then the firmware must not make up octets: weak DNS IDs are an attack).
inline bool host_random(void* out, std::uintptr_t size) {
    static const char kPath[] = "/dev/urandom";
    const std::uintptr_t open_args[3] = {reinterpret_cast<std::uintptr_t>(kPath), 1 /* "rb" */, sizeof kPath - 1};
    const std::uintptr_t handle = semihost(0x01, open_args);
    if (handle == static_cast<std::uintptr_t>(-1)) return false;
    const std::uintptr_t read_args[3] = {handle, reinterpret_cast<std::uintptr_t>(out), size};
    const std::uintptr_t not_read = semihost(0x06, read_args);
    semihost(0x02, &handle);
    return not_read == 0;
}

/// SYS_EXIT: ends the emulation. QEMU exits 0 for ADP_Stopped_ApplicationExit
/// and 1 for any other reason, so a failure is seen as a non-zero exit code.
[[noreturn]] inline void host_exit(int status) {
    const std::uintptr_t reason = status == 0 ? 0x20026 /* ApplicationExit */ : 0x20023 /* RunTimeErrorUnknown */;
    semihost(0x18, reinterpret_cast<const void*>(reason));
    for (;;) {
    }
}

}  // namespace board
