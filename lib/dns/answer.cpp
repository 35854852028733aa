// Is this the answer, and what does it say? RFC 5452 §9.1 (what must match),
// RFC 1035 §4.1.1 (RCODE), RFC 1034 §3.6.2 and §5.3.3 (CNAME chains),
// RFC 2308 §2 (NXDOMAIN and NODATA).
#include "answer.hpp"

namespace smtpcore::dns {
namespace {

struct Scan {
    std::uint16_t matched = 0;
    bool has_cname = false;
    Name cname_target;
};

// One pass over the answer section for records owned by `owner`.
void scan_answers(Bytes message, std::size_t offset, std::uint16_t count, const Name& owner, RrType type,
                  Scan& scan) noexcept {
    Record record;
    Name name;
    for (std::uint16_t i = 0; i < count; ++i) {
        if (read_record(message, offset, record, name) != ParseError::None) return;  // validated before
        if (record.rr_class != kClassIn || !name.equals_ignoring_case(owner)) continue;
        if (record.type == static_cast<std::uint16_t>(type)) {
            ++scan.matched;
        } else if (record.type == static_cast<std::uint16_t>(RrType::CNAME) && !scan.has_cname) {
            scan.has_cname = read_target(message, record, scan.cname_target);
        }
    }
}

}  // namespace

Examined examine(Bytes message, const Expectation& expected, std::uint8_t cname_budget, Name& name_out) noexcept {
    Examined out;
    MessageReader reader(message);
    const Header& h = reader.header();
    // RFC 5452 §9.1: the ID first (a response, a standard query), then the question.
    if (reader.error() == ParseError::ShortHeader || !h.response || h.opcode != 0 || h.id != expected.id)
        return out;
    if (reader.error() != ParseError::None) {
        out.verdict = Verdict::Malformed;
        out.error = reader.error();
        return out;
    }
    Name qname;
    std::uint16_t qtype = 0, qclass = 0;
    if (!reader.question(qname, qtype, qclass)) return out;  // no question to match: not ours
    const bool same_name = expected.exact_case ? qname.equals_exactly(*expected.name)
                                               : qname.equals_ignoring_case(*expected.name);
    if (!same_name || qtype != static_cast<std::uint16_t>(expected.type) || qclass != kClassIn) return out;

    // Ours. The whole message must parse before any of it is believed.
    out.answers_offset = reader.offset();
    out.answers = h.answers;
    Record record;
    Name owner;
    while (reader.next(record, owner)) {
    }
    if (reader.error() != ParseError::None) {
        out.verdict = Verdict::Malformed;
        out.error = reader.error();
        return out;
    }
    if (h.truncated) {
        out.verdict = Verdict::Truncated;
        return out;
    }
    switch (static_cast<Rcode>(h.rcode)) {
    case Rcode::NoError: break;
    case Rcode::NxDomain: out.verdict = Verdict::NxDomain; return out;
    case Rcode::FormErr: out.verdict = Verdict::FormatError; return out;
    default: out.verdict = Verdict::ServerFailure; return out;
    }
    // RFC 1034 §3.6.2: an alias's records are those of its canonical name;
    // a recursive server puts the chain and the target's records in one
    // answer. Follow it link by link, within the budget.
    name_out = *expected.name;
    for (;;) {
        Scan scan;
        scan_answers(message, out.answers_offset, out.answers, name_out, expected.type, scan);
        if (scan.matched) {
            out.matched = scan.matched;
            out.verdict = Verdict::Answer;
            return out;
        }
        if (!scan.has_cname) break;
        if (out.cnames >= cname_budget) {
            out.verdict = Verdict::CnameLimit;
            return out;
        }
        ++out.cnames;
        name_out = scan.cname_target;
    }
    // RFC 2308 §2.2: NOERROR without data is NODATA; with a chain that ends
    // in nothing, RFC 1034 §5.3.3 asks again for the canonical name.
    out.verdict = out.cnames ? Verdict::Restart : Verdict::NoData;
    return out;
}

}  // namespace smtpcore::dns
