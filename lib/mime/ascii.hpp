// Case-insensitive ASCII comparisons for field names, types and charsets
// (RFC 5322 §1.2.2, RFC 2045 §5.1: all case-insensitive).
#pragma once

#include <string_view>

namespace smtpcore::mime::detail {

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool iequal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && iequal(s.substr(0, prefix.size()), prefix);
}

}  // namespace smtpcore::mime::detail
