// Fuzz target: the DNS message reader and the answer judge (lib/dns), fed any bytes.
//
// Input: [type selector][0x20 flag] then the message.
// Checks:
//  - read_name() at every offset: a name of at most 255 octets, labels of at
//    most 63, the offset moved forward and inside the message, or an error
//    with the offset unchanged;
//  - every record MessageReader returns lies inside the message, and A, AAAA,
//    CNAME and MX records have the shape of their type;
//  - examine() with the message's own ID and question: an Answer matched at
//    least one record, and it allocated nothing.
#include <cstdint>
#include <cstring>

#include "answer.hpp"
#include "alloc_probe.hpp"
#include "check.hpp"
#include "smtpcore/dns/message.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;

namespace {

void check_name(const Name& n) {
    FUZZ_CHECK(n.size() >= 1 && n.size() <= kMaxNameOctets, "name longer than 255 octets");
    std::size_t at = 0;
    while (n.wire()[at] != 0) {
        FUZZ_CHECK(n.wire()[at] <= kMaxLabelOctets, "label longer than 63 octets");
        at += 1 + n.wire()[at];
        FUZZ_CHECK(at < n.size(), "label runs past the name");
    }
    FUZZ_CHECK(at + 1 == n.size(), "name does not end at its root label");
}

void walk(Bytes message) {
    MessageReader reader(message);
    Name name;
    std::uint16_t type = 0, cls = 0;
    if (!reader.question(name, type, cls)) return;
    check_name(name);
    Record record;
    std::uint32_t count = 0;
    while (reader.next(record, name)) {
        ++count;
        check_name(name);
        FUZZ_CHECK(record.rdata_offset + record.rdata_length <= message.size(), "rdata outside the message");
        if (record.type == static_cast<std::uint16_t>(RrType::A)) FUZZ_CHECK(record.rdata_length == 4, "A not 4 octets");
        if (record.type == static_cast<std::uint16_t>(RrType::AAAA))
            FUZZ_CHECK(record.rdata_length == 16, "AAAA not 16 octets");
        if (record.type == static_cast<std::uint16_t>(RrType::CNAME) ||
            record.type == static_cast<std::uint16_t>(RrType::MX)) {
            Name target;
            FUZZ_CHECK(read_target(message, record, target), "accepted CNAME/MX without a readable name");
            check_name(target);
        }
    }
    FUZZ_CHECK(count <= message.size() / 11, "more records than the octets can hold");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    static const RrType kTypes[] = {RrType::A, RrType::AAAA, RrType::MX};
    const RrType type = kTypes[data[0] % 3];
    const bool exact = data[1] & 1;
    const Bytes message(reinterpret_cast<const char*>(data + 2), size - 2);

    const std::size_t scan = message.size() < 2048 ? message.size() : 2048;
    for (std::size_t start = 0; start < scan; ++start) {
        std::size_t offset = start;
        Name n;
        if (read_name(message, offset, n) == NameError::None) {
            check_name(n);
            FUZZ_CHECK(offset > start && offset <= message.size(), "read_name moved outside the message");
        } else {
            FUZZ_CHECK(offset == start, "read_name moved the offset on error");
        }
    }
    walk(message);

    // Judge it as the answer to its own question, so the fuzzer gets past
    // the ID and question checks.
    Header h;
    if (read_header(message, h) != ParseError::None) return 0;
    MessageReader reader(message);
    Name qname;
    std::uint16_t qtype = 0, qclass = 0;
    if (!reader.question(qname, qtype, qclass)) qname.clear();
    Expectation e;
    e.id = h.id;
    e.name = &qname;
    e.type = type;
    e.exact_case = exact;
    Name answered;
    Examined x;
    FUZZ_CHECK(fuzz::count_allocations([&] { x = examine(message, e, 8, answered); }) == 0, "examine() allocated");
    if (x.verdict == Verdict::Answer) {
        FUZZ_CHECK(x.matched >= 1 && x.answers_offset <= message.size(), "an Answer without records");
        FUZZ_CHECK(x.cnames <= 8, "more CNAME links than the budget");
        check_name(answered);
    }
    return 0;
}
