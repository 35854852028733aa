// smtpcore DNS — the ordered list of mail exchangers for a domain (RFC 5321 §5.1, RFC 7505).
//
// Collect the Mx events of an MX resolution with add(), then finish() with
// the resolution's outcome: the hosts come out sorted by preference, equal
// preferences in random order (from host-supplied random octets), a domain
// without MX records gets its implicit MX (the domain itself), and a null MX
// ("0 .") means the domain accepts no mail, permanently. Caller storage, no heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/dns/resolver.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::dns {

struct MxHost {
    std::uint16_t preference = 0;
    std::uint8_t length = 0;
    char name[kMaxNameOctets] = {};  ///< dotted text, `length` octets

    std::string_view host() const noexcept { return std::string_view(name, length); }
};

enum class MxVerdict : std::uint8_t {
    Pending,           ///< finish() not called yet
    Hosts,             ///< try hosts in order (RFC 5321 §5.1)
    Implicit,          ///< no MX records: the domain itself, preference 0 (RFC 5321 §5.1)
    NoMail,            ///< null MX: the domain accepts no mail; a permanent failure (RFC 7505 §3)
    NoSuchDomain,      ///< NXDOMAIN: permanent (RFC 5321 §5.1)
    TemporaryFailure,  ///< the MX lookup failed (timeout, SERVFAIL): try again later (§4.5.4.1)
};

const char* to_string(MxVerdict verdict) noexcept;

class MxList {
public:
    /// `storage` holds the hosts (borrowed). With more MX records than room,
    /// those with the highest preference values are dropped (dropped() counts them).
    explicit MxList(Span<MxHost> storage) noexcept : hosts_(storage) {}

    /// One Mx event. Names that are not host names never arrive here (the
    /// resolver drops them); "." is the null MX.
    void add(std::uint16_t preference, std::string_view name) noexcept;

    /// Orders the list for `outcome`. `domain` is the domain asked (for the
    /// implicit MX, it must fit a MxHost); `random` gives two octets per host
    /// for the order among equal preferences (without them that order is as
    /// received). Returns the verdict, also kept in verdict().
    MxVerdict finish(Outcome outcome, std::string_view domain, Bytes random) noexcept;

    MxVerdict verdict() const noexcept { return verdict_; }
    std::size_t size() const noexcept { return count_; }
    const MxHost& operator[](std::size_t i) const noexcept { return hosts_[i]; }
    std::uint32_t dropped() const noexcept { return dropped_; }

private:
    Span<MxHost> hosts_;
    std::size_t count_ = 0;
    std::uint32_t dropped_ = 0;
    bool null_mx_ = false;
    MxVerdict verdict_ = MxVerdict::Pending;
};

}  // namespace smtpcore::dns
