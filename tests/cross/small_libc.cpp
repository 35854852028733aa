// Byte-at-a-time memcpy, memmove, memchr and strlen, for the footprint
// probe's "own string functions" row (scripts/footprint). newlib-nano's are
// unrolled for speed (on the Cortex-M4: memcpy 308 B, memmove 254 B, strlen
// 220 B, memchr 160 B); a
// firmware that prefers flash to speed can link these instead, as the engine
// copies at most one line or one send buffer at a time.
// The optimizer must not turn the loops back into calls to themselves.
#include <cstddef>

#define SMALL_LIBC extern "C" __attribute__((optimize("no-tree-loop-distribute-patterns"), used))

SMALL_LIBC void* memcpy(void* to, const void* from, std::size_t n) {
    auto* d = static_cast<unsigned char*>(to);
    const auto* s = static_cast<const unsigned char*>(from);
    while (n-- != 0) *d++ = *s++;
    return to;
}

SMALL_LIBC void* memmove(void* to, const void* from, std::size_t n) {
    auto* d = static_cast<unsigned char*>(to);
    const auto* s = static_cast<const unsigned char*>(from);
    if (d < s) {
        while (n-- != 0) *d++ = *s++;
    } else {
        while (n-- != 0) d[n] = s[n];
    }
    return to;
}

SMALL_LIBC void* memchr(const void* from, int c, std::size_t n) {
    const auto* s = static_cast<const unsigned char*>(from);
    for (; n-- != 0; ++s)
        if (*s == static_cast<unsigned char>(c)) return const_cast<unsigned char*>(s);
    return nullptr;
}

SMALL_LIBC std::size_t strlen(const char* text) {
    const char* end = text;
    while (*end != '\0') ++end;
    return static_cast<std::size_t>(end - text);
}
