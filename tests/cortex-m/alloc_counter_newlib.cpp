// tests/support/alloc_counter.hpp for newlib on the Cortex-M4: the program is
// linked with --wrap=malloc,calloc,realloc, so every allocation anywhere in
// the firmware (engine, libstdc++, newlib's callers) goes through here and is
// counted; the engine's dialogue tests still check they saw zero.
#include <cstddef>

#include "alloc_counter.hpp"

extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
}

namespace {
std::size_t g_allocations = 0;  // one core, no threads
}

namespace smtpcore::test {
std::size_t allocation_count() noexcept { return g_allocations; }
}  // namespace smtpcore::test

extern "C" {
void* __wrap_malloc(std::size_t n) {
    ++g_allocations;
    return __real_malloc(n);
}
void* __wrap_calloc(std::size_t n, std::size_t m) {
    ++g_allocations;
    return __real_calloc(n, m);
}
void* __wrap_realloc(void* p, std::size_t n) {
    ++g_allocations;
    return __real_realloc(p, n);
}
}
