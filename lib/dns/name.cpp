// Domain names: from text, to text, compared, and read from messages with
// compression (RFC 1035 §2.3.1, §3.1, §4.1.4).
#include <cstring>

#include "smtpcore/dns/name.hpp"

namespace smtpcore::dns {
namespace {

bool is_letter(std::uint8_t c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
std::uint8_t lower(std::uint8_t c) noexcept { return (c >= 'A' && c <= 'Z') ? std::uint8_t(c + 32) : c; }

// RFC 1123 §2.1 host name characters, plus '_' for service labels.
bool is_host_char(std::uint8_t c) noexcept {
    return is_letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

bool Name::append_label(const std::uint8_t* label, std::size_t length) noexcept {
    // The label replaces the root octet and a new root follows it.
    if (length == 0 || length > kMaxLabelOctets || size_ + 1 + length > kMaxNameOctets) return false;
    std::uint8_t* at = wire_ + size_ - 1;
    at[0] = static_cast<std::uint8_t>(length);
    std::memcpy(at + 1, label, length);
    at[1 + length] = 0;
    size_ = static_cast<std::uint8_t>(size_ + 1 + length);
    return true;
}

bool Name::from_text(std::string_view text) noexcept {
    Name built;
    if (text == ".") {
        *this = built;
        return true;
    }
    if (!text.empty() && text.back() == '.') text.remove_suffix(1);
    if (text.empty()) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('.', start);
        if (end == std::string_view::npos) end = text.size();
        for (std::size_t i = start; i < end; ++i)
            if (!is_host_char(static_cast<std::uint8_t>(text[i]))) return false;
        if (!built.append_label(reinterpret_cast<const std::uint8_t*>(text.data() + start), end - start))
            return false;
        start = end + 1;
    }
    *this = built;
    return true;
}

std::size_t Name::letters() const noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < size_;) {
        const std::uint8_t len = wire_[i];
        for (std::size_t j = 1; j <= len; ++j) n += is_letter(wire_[i + j]);
        i += 1 + len;
    }
    return n;
}

std::size_t Name::to_text(char* out, std::size_t capacity) const noexcept {
    if (is_root()) {
        if (capacity < 1) return 0;
        out[0] = '.';
        return 1;
    }
    std::size_t n = 0;
    for (std::size_t i = 0; wire_[i] != 0;) {
        const std::uint8_t len = wire_[i];
        if (n + (n ? 1 : 0) + len > capacity) return 0;
        if (n) out[n++] = '.';
        for (std::size_t j = 1; j <= len; ++j) {
            if (!is_host_char(wire_[i + j])) return 0;
            out[n++] = static_cast<char>(wire_[i + j]);
        }
        i += 1 + len;
    }
    return n;
}

bool Name::equals_ignoring_case(const Name& other) const noexcept {
    if (size_ != other.size_) return false;
    // Length octets are at most 63 and so never change under lower().
    for (std::size_t i = 0; i < size_; ++i)
        if (lower(wire_[i]) != lower(other.wire_[i])) return false;
    return true;
}

bool Name::equals_exactly(const Name& other) const noexcept {
    return size_ == other.size_ && std::memcmp(wire_, other.wire_, size_) == 0;
}

void Name::randomize_case(Bytes random) noexcept {
    std::size_t bit = 0;
    for (std::size_t i = 0; i < size_;) {
        const std::uint8_t len = wire_[i];
        for (std::size_t j = 1; j <= len; ++j) {
            std::uint8_t& c = wire_[i + j];
            if (!is_letter(c)) continue;
            if (bit / 8 >= random.size()) return;
            const bool upper = (static_cast<unsigned char>(random[bit / 8]) >> (bit % 8)) & 1;
            c = upper ? static_cast<std::uint8_t>(lower(c) - 32) : lower(c);
            ++bit;
        }
        i += 1 + len;
    }
}

// RFC 1035 §4.1.4: a name is labels ending in a zero octet or in a pointer
// (two octets, top bits 11) to labels elsewhere in the message.
NameError read_name(Bytes message, std::size_t& offset, Name& out) noexcept {
    const auto* m = reinterpret_cast<const std::uint8_t*>(message.data());
    const std::size_t size = message.size();
    std::size_t at = offset;
    std::size_t run_start = offset;  // where the labels being read began
    std::size_t resume = 0;          // offset after the first pointer
    std::uint8_t hops = 0;
    out.clear();
    for (;;) {
        if (at >= size) return NameError::Truncated;
        const std::uint8_t len = m[at];
        if ((len & 0xC0) == 0xC0) {
            if (at + 1 >= size) return NameError::Truncated;
            const std::size_t target = (std::size_t(len & 0x3F) << 8) | m[at + 1];
            // Strictly before this run of labels: a pointer to itself, into
            // its own run or forward could loop or read what is not yet seen.
            if (target >= run_start) return NameError::ForwardPointer;
            if (++hops > kMaxPointerHops) return NameError::TooManyHops;
            if (hops == 1) resume = at + 2;
            run_start = target;
            at = target;
            continue;
        }
        if (len & 0xC0) return NameError::BadLabelType;
        if (len == 0) {
            offset = hops ? resume : at + 1;
            return NameError::None;
        }
        if (at + 1 + len > size) return NameError::Truncated;
        if (!out.append_label(m + at + 1, len)) return NameError::TooLong;
        at += 1 + len;
    }
}

}  // namespace smtpcore::dns
