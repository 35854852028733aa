// Replaces the global allocation functions of the test binary with counting
// wrappers around glibc's own allocator (__libc_malloc and friends): malloc,
// calloc, realloc, aligned_alloc, posix_memalign and every operator new.
// Windows (the mingw-w64 build): the C runtime's malloc cannot be replaced in
// a static link, so there only the operator new family is counted; the core
// calls no malloc anywhere (scripts/check-core-purity).
#include "alloc_counter.hpp"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <new>

#ifdef _WIN32
#include <malloc.h>
namespace {
void* base_malloc(std::size_t n) { return std::malloc(n); }
void* base_memalign(std::size_t alignment, std::size_t n) { return _aligned_malloc(n, alignment); }
void base_free(void* p) { std::free(p); }
void base_aligned_free(void* p) { _aligned_free(p); }
}  // namespace
#else
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}
namespace {
void* base_malloc(std::size_t n) { return __libc_malloc(n); }
void* base_memalign(std::size_t alignment, std::size_t n) { return __libc_memalign(alignment, n); }
void base_free(void* p) { __libc_free(p); }
void base_aligned_free(void* p) { __libc_free(p); }
}  // namespace
#endif

namespace {
std::atomic<std::size_t> g_allocations{0};
}

namespace smtpcore::test {
std::size_t allocation_count() noexcept { return g_allocations.load(std::memory_order_relaxed); }
}  // namespace smtpcore::test

#ifndef _WIN32
extern "C" {
void* malloc(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t m) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(n, m);
}
void* realloc(void* p, std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
// The aligned allocators (C11, POSIX) count too, so no allocation path hides.
void* aligned_alloc(std::size_t alignment, std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void* p = __libc_memalign(alignment, n);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}
}
#endif

void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = base_malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = base_memalign(static_cast<std::size_t>(a), n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { base_free(p); }
void operator delete[](void* p) noexcept { base_free(p); }
void operator delete(void* p, std::size_t) noexcept { base_free(p); }
void operator delete[](void* p, std::size_t) noexcept { base_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { base_aligned_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { base_aligned_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { base_aligned_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { base_aligned_free(p); }
