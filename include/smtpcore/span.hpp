// smtpcore — a minimal non-owning view over contiguous memory.
//
// C++17 has no std::span; this is the small subset the engine needs. It never
// allocates and never throws, so it is safe in the core (-fno-exceptions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

template <class T>
class Span {
public:
    constexpr Span() noexcept = default;
    constexpr Span(T* data, std::size_t size) noexcept : data_(data), size_(size) {}
    template <std::size_t N>
    constexpr explicit Span(T (&array)[N]) noexcept : data_(array), size_(N) {}

    constexpr T* data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr T& operator[](std::size_t i) const noexcept { return data_[i]; }
    constexpr T* begin() const noexcept { return data_; }
    constexpr T* end() const noexcept { return data_ + size_; }

    // Unchecked sub-views: the caller guarantees offset + count <= size().
    constexpr Span first(std::size_t count) const noexcept { return Span(data_, count); }
    constexpr Span from(std::size_t offset) const noexcept {
        return Span(data_ + offset, size_ - offset);
    }

    constexpr operator Span<const T>() const noexcept { return Span<const T>(data_, size_); }

private:
    T* data_ = nullptr;
    std::size_t size_ = 0;
};

/// Bytes the caller may write into (a window the engine hands out).
using MutableBytes = Span<char>;
/// Bytes the caller may only read.
using Bytes = Span<const char>;

inline Bytes as_bytes(std::string_view s) noexcept { return Bytes(s.data(), s.size()); }
inline std::string_view as_text(Bytes b) noexcept { return std::string_view(b.data(), b.size()); }

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
