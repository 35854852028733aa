// Where a SASL mechanism writes its response. Internal.
//
// A response goes on the wire as one base64 line (RFC 4954 §4), so the
// mechanisms write raw octets and this encodes them on the fly into the
// caller's window: no second buffer. It keeps counting after the window is
// full, so a "too small" answer says the size needed (docs/contributing.md §7).
#pragma once

#include <cstddef>
#include <string_view>

#include "smtpcore/codec/base64.hpp"

namespace smtpcore::detail {

class SaslOutput {
public:
    SaslOutput(char* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {}

    void put(const void* data, std::size_t n) noexcept;
    void put(std::string_view s) noexcept { put(s.data(), s.size()); }
    void put(char c) noexcept { put(&c, 1); }

    /// Ends the response (the base64 padding). Returns the characters written,
    /// which is needed() when fits(), else less.
    std::size_t finish() noexcept;
    /// False once the window was too small; nothing written is then usable.
    bool fits() const noexcept { return fits_; }
    /// Characters the whole response needs (base64 of every octet put).
    std::size_t needed() const noexcept { return codec::base64_encoded_size(raw_); }
    /// Octets put so far (before base64).
    std::size_t raw_size() const noexcept { return raw_; }

private:
    char* out_;
    std::size_t capacity_;
    std::size_t written_ = 0;
    std::size_t raw_ = 0;
    codec::Base64Encoder encoder_;
    bool fits_ = true;
};

/// RFC 5802 §5.1 / RFC 5801 §4 saslname: "=" becomes "=3D" and "," becomes
/// "=2C". `Out` is anything with put(char) and put(std::string_view).
template <class Out>
void put_saslname(Out& out, std::string_view name) noexcept {
    for (const char c : name) {
        if (c == '=') out.put(std::string_view("=3D"));
        else if (c == ',') out.put(std::string_view("=2C"));
        else out.put(c);
    }
}

}  // namespace smtpcore::detail
