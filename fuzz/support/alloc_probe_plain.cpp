// alloc_probe.hpp for builds without sanitizers: the unit tests' counting
// allocator (linked next to this file) does the counting.
#include "alloc_probe.hpp"

#include "alloc_counter.hpp"

namespace smtpcore::fuzz {
std::size_t allocations() noexcept { return test::allocation_count(); }
}  // namespace smtpcore::fuzz
