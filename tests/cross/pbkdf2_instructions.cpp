// Counts the Cortex-M4 instructions of one PBKDF2-HMAC-SHA-256 iteration, run
// bare-metal in QEMU's mps2-an386 (a Cortex-M4) by scripts/m4-pbkdf2-cost.
//
// QEMU is not cycle-accurate: with -icount shift=0 each instruction advances
// virtual time by 1 ns, and SysTick on the 25 MHz processor clock then ticks
// once per 40 instructions. A calibration loop of known length checks that
// ratio in the same run. Cycles are instructions times the Cortex-M4's CPI,
// which for this code lies between about 1.0 and 1.3 (docs/footprint.md).
#include <cstdint>

#include "smtpcore/codec/pbkdf2.hpp"
#include "smtpcore/codec/sha256.hpp"

extern "C" void reset_handler();
extern std::uint32_t __bss_start__, __bss_end__;

// The vector table: initial stack pointer and reset handler.
__attribute__((section(".vectors"), used)) const void* const g_vectors[2] = {
    reinterpret_cast<void*>(0x20100000), reinterpret_cast<void*>(&reset_handler)};

namespace {

volatile std::uint32_t* const kSysTickControl = reinterpret_cast<volatile std::uint32_t*>(0xE000E010);
volatile std::uint32_t* const kSysTickReload = reinterpret_cast<volatile std::uint32_t*>(0xE000E014);
volatile std::uint32_t* const kSysTickCurrent = reinterpret_cast<volatile std::uint32_t*>(0xE000E018);
volatile std::uint8_t g_sink;

// ARM semihosting (QEMU -semihosting): SYS_WRITE0 = 0x04, SYS_EXIT = 0x18.
int semihost(int operation, const void* argument) {
    register int r0 asm("r0") = operation;
    register const void* r1 asm("r1") = argument;
    asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
void print(const char* s) { semihost(0x04, s); }
void print(std::uint32_t v) {
    char text[12];
    int i = 11;
    text[i] = 0;
    do {
        text[--i] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    print(text + i);
}

void start_ticks() {
    *kSysTickReload = 0xFFFFFF;
    *kSysTickCurrent = 0;
    *kSysTickControl = 5;  // processor clock, counting, no interrupt
}
std::uint32_t ticks_since_start(std::uint32_t start) { return (start - *kSysTickCurrent) & 0xFFFFFF; }

// Ticks for `n` iterations of a two-instruction loop.
std::uint32_t calibration_ticks(std::uint32_t n) {
    start_ticks();
    const std::uint32_t t0 = *kSysTickCurrent;
    asm volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n) : : "cc");
    return ticks_since_start(t0);
}

std::uint32_t pbkdf2_ticks(std::uint32_t iterations) {
    std::uint8_t key[32];
    start_ticks();
    const std::uint32_t t0 = *kSysTickCurrent;
    smtpcore::codec::pbkdf2_hmac_sha256("pencil", 6, "saltsaltsaltsalt", 16, iterations, key, sizeof key);
    const std::uint32_t t = ticks_since_start(t0);
    g_sink = key[0];
    return t;
}

}  // namespace

extern "C" void reset_handler() {
    for (std::uint32_t* p = &__bss_start__; p < &__bss_end__; ++p) *p = 0;
    const std::uint32_t instructions_per_tick = 2000000 / calibration_ticks(1000000);
    // The difference of two runs removes the fixed cost (keying, first block).
    const std::uint32_t ticks = pbkdf2_ticks(1100) - pbkdf2_ticks(100);
    std::uint8_t digest[32];
    smtpcore::codec::Sha256::hash("abc", 3, digest);  // FIPS 180-4 example: ba78...
    print("instructions per SysTick tick: ");
    print(instructions_per_tick);
    print("\nPBKDF2-HMAC-SHA-256 instructions per iteration: ");
    print(ticks * instructions_per_tick / 1000);
    print(digest[0] == 0xba && digest[31] == 0xad ? "\nSHA-256 self-check ok\n" : "\nSHA-256 self-check FAILED\n");
    const int exit_block[2] = {0x20026, 0};  // ADP_Stopped_ApplicationExit
    semihost(0x18, exit_block);
    for (;;) {
    }
}
