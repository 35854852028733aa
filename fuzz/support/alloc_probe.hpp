// Counts heap allocations so fuzz targets can require zero inside the engine
// (docs/contributing.md §1: the core never allocates). Two implementations behind one
// function: with AddressSanitizer, its malloc hooks (ASan owns malloc and
// operator new, so they cannot be replaced); without, the counting allocator
// of the unit tests (tests/support/alloc_counter.cpp).
#pragma once

#include <cstddef>

namespace smtpcore::fuzz {

/// Allocations made by this process so far.
std::size_t allocations() noexcept;

/// Runs f() and reports how many allocations it made.
template <class F>
std::size_t count_allocations(F&& f) {
    const std::size_t before = allocations();
    f();
    return allocations() - before;
}

}  // namespace smtpcore::fuzz
