// Shared by the SIMD codec tests: a small random generator and a page whose
// end is followed by an inaccessible page, so a kernel that reads past its
// input faults.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace simd_test {

struct Rng {
    std::uint64_t x;
    std::uint64_t next() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

// Selects implementation `impl` for the scope (through the codec's
// get/select pair), then restores what was selected before.
template <class Impl, Impl (*Get)() noexcept, bool (*Select)(Impl) noexcept>
class ForceImpl {
public:
    explicit ForceImpl(Impl impl) : saved_(Get()), ok_(Select(impl)) {}
    ~ForceImpl() { Select(saved_); }
    ForceImpl(const ForceImpl&) = delete;
    ForceImpl& operator=(const ForceImpl&) = delete;
    bool ok() const { return ok_; }

private:
    Impl saved_;
    bool ok_;
};

#if defined(__linux__)
// Two pages: the first readable and writable, the second inaccessible.
class GuardedPage {
public:
    GuardedPage() {
        size_ = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        void* p = mmap(nullptr, 2 * size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        REQUIRE(p != MAP_FAILED);
        base_ = static_cast<char*>(p);
        REQUIRE(mprotect(base_ + size_, size_, PROT_NONE) == 0);
    }
    ~GuardedPage() { munmap(base_, 2 * size_); }
    GuardedPage(const GuardedPage&) = delete;
    GuardedPage& operator=(const GuardedPage&) = delete;
    // `n` octets ending exactly where the readable page ends.
    char* tail(std::size_t n) const { return base_ + size_ - n; }

private:
    char* base_ = nullptr;
    std::size_t size_ = 0;
};

#endif

}  // namespace simd_test
