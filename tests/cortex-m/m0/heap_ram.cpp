// newlib's _sbrk for the Cortex-M0+ test run: grows the heap from `end` (the
// linker script) but stops kStackReserve below the top of RAM, where the
// stack grows down, so running out of memory is malloc() returning null (and
// abort() through semihosting) instead of the heap overwriting the stack.
// Armv6-M has no stack limit register: the reserve is painted instead, and a
// case that reaches its last word is reported (doctest_lite.cpp).
#include "heap_ram.hpp"

#include <cerrno>
#include <cstdint>

extern "C" char end, _stack_top;

namespace {
#ifndef M0_STACK_RESERVE
#define M0_STACK_RESERVE 3584  // the deepest case seen ran to 3.3 KiB
#endif
constexpr std::size_t kStackReserve = M0_STACK_RESERVE;
constexpr std::uint32_t kPaint = 0x5AC3A53Cu;

std::uintptr_t heap_start() { return reinterpret_cast<std::uintptr_t>(&end); }
std::uintptr_t heap_limit() { return reinterpret_cast<std::uintptr_t>(&_stack_top) - kStackReserve; }
std::uint32_t* reserve_bottom() { return reinterpret_cast<std::uint32_t*>(heap_limit()); }
std::uintptr_t g_break = heap_start();
}  // namespace

namespace board {
std::size_t heap_peak() { return g_break - heap_start(); }
std::size_t heap_capacity() { return heap_limit() - heap_start(); }

void paint_stack() {
    // Up to 64 bytes below this frame, which is not yet deep.
    std::uint32_t* const top = static_cast<std::uint32_t*>(__builtin_frame_address(0)) - 16;
    for (std::uint32_t* p = reserve_bottom(); p < top; ++p) *p = kPaint;
}

std::size_t stack_peak() {
    const std::uint32_t* p = reserve_bottom();
    while (*p == kPaint) ++p;
    return reinterpret_cast<std::uintptr_t>(&_stack_top) - reinterpret_cast<std::uintptr_t>(p);
}

bool stack_overflowed() { return *reserve_bottom() != kPaint; }
}  // namespace board

extern "C" void* _sbrk(std::ptrdiff_t increment) {
    if (increment < 0 || heap_limit() - g_break < static_cast<std::uintptr_t>(increment)) {
        errno = ENOMEM;
        return reinterpret_cast<void*>(-1);
    }
    const std::uintptr_t old = g_break;
    g_break += static_cast<std::uintptr_t>(increment);
    return reinterpret_cast<void*>(old);
}
