// Counts every heap allocation made by the test process (operator new and the
// malloc family), so tests can prove that a code path allocates nothing.
#pragma once
#include <cstddef>

namespace smtpcore::test {

/// Number of allocations since the process started. Compare two readings
/// around the code under test: AllocationScope does that for you.
std::size_t allocation_count() noexcept;

class AllocationScope {
public:
    AllocationScope() noexcept : start_(allocation_count()) {}
    std::size_t allocations() const noexcept { return allocation_count() - start_; }

private:
    std::size_t start_;
};

}  // namespace smtpcore::test
