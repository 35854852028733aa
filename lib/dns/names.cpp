// Names of enumerators, for logs and tests.
#include "smtpcore/dns/message.hpp"
#include "smtpcore/dns/mx.hpp"

namespace smtpcore::dns {

bool Endpoint::operator==(const Endpoint& other) const noexcept {
    if (family != other.family || port != other.port) return false;
    const std::size_t n = family == 6 ? 16 : 4;
    for (std::size_t i = 0; i < n; ++i)
        if (address[i] != other.address[i]) return false;
    return true;
}

Endpoint ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) noexcept {
    Endpoint e;
    e.family = 4;
    e.address[0] = a;
    e.address[1] = b;
    e.address[2] = c;
    e.address[3] = d;
    e.port = port;
    return e;
}

const char* to_string(RrType type) noexcept {
    switch (type) {
    case RrType::A: return "A";
    case RrType::CNAME: return "CNAME";
    case RrType::MX: return "MX";
    case RrType::AAAA: return "AAAA";
    case RrType::OPT: return "OPT";
    }
    return "?";
}

const char* to_string(Rcode rcode) noexcept {
    switch (rcode) {
    case Rcode::NoError: return "NOERROR";
    case Rcode::FormErr: return "FORMERR";
    case Rcode::ServFail: return "SERVFAIL";
    case Rcode::NxDomain: return "NXDOMAIN";
    case Rcode::NotImp: return "NOTIMP";
    case Rcode::Refused: return "REFUSED";
    }
    return "?";
}

const char* to_string(NameError error) noexcept {
    switch (error) {
    case NameError::None: return "none";
    case NameError::Truncated: return "truncated";
    case NameError::ForwardPointer: return "forward-pointer";
    case NameError::TooManyHops: return "too-many-hops";
    case NameError::BadLabelType: return "bad-label-type";
    case NameError::TooLong: return "too-long";
    }
    return "?";
}

const char* to_string(ParseError error) noexcept {
    switch (error) {
    case ParseError::None: return "none";
    case ParseError::ShortHeader: return "short-header";
    case ParseError::CountsTooLarge: return "counts-too-large";
    case ParseError::BadName: return "bad-name";
    case ParseError::Truncated: return "truncated";
    case ParseError::BadRdata: return "bad-rdata";
    case ParseError::QuestionCount: return "question-count";
    }
    return "?";
}

const char* to_string(MxVerdict verdict) noexcept {
    switch (verdict) {
    case MxVerdict::Pending: return "pending";
    case MxVerdict::Hosts: return "hosts";
    case MxVerdict::Implicit: return "implicit";
    case MxVerdict::NoMail: return "no-mail";
    case MxVerdict::NoSuchDomain: return "no-such-domain";
    case MxVerdict::TemporaryFailure: return "temporary-failure";
    }
    return "?";
}

}  // namespace smtpcore::dns
