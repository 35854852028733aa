// Mail exchangers in the order RFC 5321 §5.1 asks for, and the null MX of RFC 7505.
#include <cstring>

#include "smtpcore/dns/mx.hpp"

namespace smtpcore::dns {
namespace {

void copy_host(MxHost& host, std::uint16_t preference, std::string_view name) noexcept {
    host.preference = preference;
    host.length = static_cast<std::uint8_t>(name.size());
    std::memcpy(host.name, name.data(), name.size());
}

}  // namespace

void MxList::add(std::uint16_t preference, std::string_view name) noexcept {
    if (verdict_ != MxVerdict::Pending || name.empty() || name.size() > sizeof(MxHost::name)) return;
    // RFC 7505 §3: "0 ." — the domain accepts no mail. It names no host.
    if (name == ".") {
        null_mx_ = true;
        return;
    }
    if (count_ < hosts_.size()) {
        copy_host(hosts_[count_++], preference, name);
        return;
    }
    // Full: keep the most preferred hosts (lowest values, RFC 5321 §5.1).
    ++dropped_;
    std::size_t worst = 0;
    for (std::size_t i = 1; i < count_; ++i)
        if (hosts_[i].preference > hosts_[worst].preference) worst = i;
    if (count_ > 0 && preference < hosts_[worst].preference) copy_host(hosts_[worst], preference, name);
}

MxVerdict MxList::finish(Outcome outcome, std::string_view domain, Bytes random) noexcept {
    switch (outcome) {
    case Outcome::Answer: break;
    case Outcome::NoData: {
        // RFC 5321 §5.1: no MX records — the domain itself, preference 0.
        if (hosts_.empty() || domain.empty() || domain.size() > sizeof(MxHost::name))
            return verdict_ = MxVerdict::TemporaryFailure;
        copy_host(hosts_[0], 0, domain);
        count_ = 1;
        return verdict_ = MxVerdict::Implicit;
    }
    case Outcome::NxDomain: return verdict_ = MxVerdict::NoSuchDomain;
    default: return verdict_ = MxVerdict::TemporaryFailure;  // RFC 5321 §4.5.4.1: try later
    }
    // RFC 7505 §3: a null MX must be the only MX record; when it is, the
    // domain accepts no mail (§4.2: fail at once, permanently). One mixed
    // with real hosts is dropped and the hosts are used.
    if (null_mx_ && count_ == 0) return verdict_ = MxVerdict::NoMail;
    if (count_ == 0) return verdict_ = MxVerdict::TemporaryFailure;  // every MX was unusable

    // RFC 5321 §5.1: ascending preference; among equal preferences the order
    // must be random. A random key per host (two octets each), then a stable
    // insertion sort on (preference, key): at most a few dozen hosts.
    std::uint16_t keys[64] = {};
    const std::size_t n = count_ < 64 ? count_ : 64;
    for (std::size_t i = 0; i < n && 2 * i + 1 < random.size(); ++i)
        keys[i] = static_cast<std::uint16_t>((static_cast<unsigned char>(random[2 * i]) << 8) |
                                             static_cast<unsigned char>(random[2 * i + 1]));
    for (std::size_t i = 1; i < count_; ++i) {
        const MxHost moving = hosts_[i];
        const std::uint16_t key = i < 64 ? keys[i] : 0;
        std::size_t j = i;
        while (j > 0) {
            const MxHost& before = hosts_[j - 1];
            const std::uint16_t before_key = j - 1 < 64 ? keys[j - 1] : 0;
            if (before.preference < moving.preference ||
                (before.preference == moving.preference && before_key <= key))
                break;
            hosts_[j] = hosts_[j - 1];
            if (j < 64) keys[j] = before_key;
            --j;
        }
        hosts_[j] = moving;
        if (j < 64) keys[j] = key;
    }
    return verdict_ = MxVerdict::Hosts;
}

}  // namespace smtpcore::dns
