// alloc_probe.hpp for sanitizer builds: ASan calls these hooks on every
// malloc/new it serves.
#include "alloc_probe.hpp"

#include <atomic>
#include <sanitizer/allocator_interface.h>

namespace {

std::atomic<std::size_t> g_allocations{0};

void on_malloc(const volatile void*, std::size_t) { g_allocations.fetch_add(1, std::memory_order_relaxed); }
void on_free(const volatile void*) {}

const bool g_installed = [] {
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
    return true;
}();

}  // namespace

namespace smtpcore::fuzz {
std::size_t allocations() noexcept {
    (void)g_installed;
    return g_allocations.load(std::memory_order_relaxed);
}
}  // namespace smtpcore::fuzz
