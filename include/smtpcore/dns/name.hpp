// smtpcore DNS — a domain name in wire form (RFC 1035 §3.1), held by value.
//
// A Name is a sequence of length-prefixed labels ending with the root label
// (a zero octet), at most 255 octets in all, each label at most 63. Names come
// from application text (from_text) or from a message, where compression
// pointers are followed under the rules of read_name(). No heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/dns/types.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::dns {

class Name {
public:
    /// The root name ".".
    Name() noexcept { wire_[0] = 0; }

    /// Parses dotted text: "mail.example.com" or "mail.example.com." (both
    /// absolute). Refuses empty labels, labels over 63 octets, names over 255
    /// wire octets, and any octet outside letters, digits, '-' and '_' (host
    /// names, RFC 1123 §2.1, plus the '_' of service labels): no application
    /// string can smuggle a dot, a NUL or a control into a query. "." is the root.
    bool from_text(std::string_view text) noexcept;

    /// Wire octets, root label included (size() >= 1).
    const std::uint8_t* wire() const noexcept { return wire_; }
    std::size_t size() const noexcept { return size_; }
    bool is_root() const noexcept { return size_ == 1; }
    /// Number of letters (a-z, A-Z) in the labels: the bits 0x20 randomisation needs.
    std::size_t letters() const noexcept;

    /// Dotted text without the final dot ("." for the root), written to `out`.
    /// Returns the length, or 0 when `out` is too small or a label holds an
    /// octet that is not a host-name character (such a name is never shown).
    std::size_t to_text(char* out, std::size_t capacity) const noexcept;

    /// RFC 1035 §2.3.3: names compare without regard to ASCII case.
    bool equals_ignoring_case(const Name& other) const noexcept;
    /// Octet for octet: a 0x20-randomised question must come back exactly so.
    bool equals_exactly(const Name& other) const noexcept;

    /// Flips the case of letters from the bits in `random` (draft-vixie-dnsext-
    /// dns0x20): one bit per letter, least significant first; letters beyond
    /// the bits given keep their case.
    void randomize_case(Bytes random) noexcept;

    // Building, for the parser: a label is appended before the root.
    void clear() noexcept { wire_[0] = 0; size_ = 1; }
    bool append_label(const std::uint8_t* label, std::size_t length) noexcept;

private:
    std::uint8_t wire_[kMaxNameOctets] = {};
    std::uint8_t size_ = 1;
};

/// Why reading a name from a message failed.
enum class NameError : std::uint8_t {
    None,
    Truncated,       ///< the message ends inside the name
    ForwardPointer,  ///< a pointer to its own run of labels or beyond (loops, self-pointers)
    TooManyHops,     ///< more than kMaxPointerHops pointers
    BadLabelType,    ///< 0x40/0x80 label types (RFC 6891 §5 retired them)
    TooLong,         ///< over 255 octets once expanded
};

/// Reads the possibly compressed name at `offset` of `message` (RFC 1035
/// §4.1.4) into `out` and moves `offset` past it (past the first pointer when
/// there is one). Every pointer must point strictly before the start of the
/// run of labels it ends: the first run starts at `offset`, later runs at the
/// previous pointer's target, so each hop goes further back and no chain can
/// loop; at most kMaxPointerHops hops. On error `offset` is unchanged.
NameError read_name(Bytes message, std::size_t& offset, Name& out) noexcept;

const char* to_string(NameError error) noexcept;

}  // namespace smtpcore::dns
