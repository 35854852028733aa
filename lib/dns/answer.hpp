// Deciding what a response means for the query it may answer. Internal: the
// Resolver's judge, kept apart so tests and the fuzzer can call it directly.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/dns/message.hpp"

namespace smtpcore::dns {

/// What the query was.
struct Expectation {
    std::uint16_t id = 0;
    const Name* name = nullptr;
    RrType type = RrType::A;
    bool exact_case = false;  ///< 0x20: the question must come back octet for octet
};

enum class Verdict : std::uint8_t {
    Ignore,         ///< not an answer to this query (RFC 5452 §9.1): keep waiting
    Malformed,      ///< this query's answer, but broken: try the next server
    Truncated,      ///< TC=1: ask again over TCP
    FormatError,    ///< FORMERR: perhaps a server that does not know EDNS0 (RFC 6891 §7)
    ServerFailure,  ///< SERVFAIL, REFUSED, NOTIMP or another RCODE: next server
    NxDomain,       ///< the (last) name does not exist
    NoData,         ///< the name exists, no record of the type
    Answer,         ///< records of the type for `name_out`
    Restart,        ///< a CNAME chain ended without data: ask again for `name_out`
    CnameLimit,     ///< more CNAME links than allowed
};

struct Examined {
    Verdict verdict = Verdict::Ignore;
    ParseError error = ParseError::None;  ///< for Malformed
    std::uint8_t cnames = 0;              ///< CNAME links followed in this response
    std::size_t answers_offset = 0;       ///< where the answer section starts
    std::uint16_t answers = 0;            ///< ANCOUNT
    std::uint16_t matched = 0;            ///< records of the type owned by `name_out`
};

/// Judges `message` against `expected`. `name_out` receives the name the
/// answer is for (the end of the CNAME chain); `cname_budget` is how many
/// more links may be followed. Only the answer section counts: authority and
/// additional records are never taken as answers (out of bailiwick for a
/// stub), though the whole message must parse.
Examined examine(Bytes message, const Expectation& expected, std::uint8_t cname_budget, Name& name_out) noexcept;

}  // namespace smtpcore::dns
