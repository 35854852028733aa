// Names (lib/dns/name.cpp): text bounds and compression pointers (RFC 1035 §2.3.4, §4.1.4).
#include <doctest/doctest.h>

#include <string>

#include "packet.hpp"
#include "smtpcore/dns/name.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;
using smtpcore::dns::test::Packet;

namespace {

std::string text(const Name& n) {
    char buf[256];
    return std::string(buf, n.to_text(buf, sizeof buf));
}

NameError read_at(const Packet& p, std::size_t at, Name& out, std::size_t* end = nullptr) {
    std::size_t offset = at;
    const NameError e = read_name(as_bytes(p.bytes), offset, out);
    if (end) *end = offset;
    if (e != NameError::None) CHECK(offset == at);  // unchanged on error
    return e;
}

}  // namespace

TEST_CASE("from_text takes host names and refuses what is not one") {
    Name n;
    CHECK(n.from_text("mail.Example.com"));
    CHECK(n.size() == 1 + 4 + 1 + 7 + 1 + 3 + 1);
    CHECK(text(n) == "mail.Example.com");
    CHECK(n.from_text("mail.example.com."));
    CHECK(text(n) == "mail.example.com");
    CHECK(n.from_text("_smtp._tcp.example"));
    CHECK(n.from_text("."));
    CHECK(n.is_root());
    CHECK(text(n) == ".");
    const std::string bad[] = {"", "..", "a..b", ".a", "a b", "a\r\nb", std::string("a\0b", 3),
                               "a/b", "caf\xc3\xa9.fr", "a.b.."};
    for (const std::string& b : bad) {
        Name m;
        CHECK_MESSAGE(!m.from_text(b), b);
    }
}

TEST_CASE("labels over 63 octets and names over 255 are refused") {
    Name n;
    CHECK(n.from_text(std::string(63, 'a') + ".com"));
    CHECK(!n.from_text(std::string(64, 'a') + ".com"));
    // 4 labels of 63 = 4 * 64 + 1 = 257 wire octets: too long; 3 of 63 and one of 61 = 255.
    const std::string l63(63, 'x');
    CHECK(!n.from_text(l63 + "." + l63 + "." + l63 + "." + l63));
    CHECK(n.from_text(l63 + "." + l63 + "." + l63 + "." + std::string(61, 'y')));
    CHECK(n.size() == 255);
    CHECK(!n.from_text(l63 + "." + l63 + "." + l63 + "." + std::string(62, 'y')));
}

TEST_CASE("case: compared without it, 0x20 flips it from random bits") {
    Name a, b;
    REQUIRE(a.from_text("Mail.Example.COM"));
    REQUIRE(b.from_text("mail.example.com"));
    CHECK(a.equals_ignoring_case(b));
    CHECK(!a.equals_exactly(b));
    CHECK(b.letters() == 14);
    const char bits[2] = {'\x05', '\x00'};  // letters 0 and 2 upper: "MaIl"
    b.randomize_case(Bytes(bits, 2));
    CHECK(text(b) == "MaIl.example.com");
    CHECK(b.equals_ignoring_case(a));
}

TEST_CASE("read_name: plain, and compressed backwards") {
    Packet p;
    p.raw(std::string(12, '\0')).name("example.com").name_then_pointer("mail", 12);
    Name n;
    std::size_t end = 0;
    REQUIRE(read_at(p, 12, n, &end) == NameError::None);
    CHECK(text(n) == "example.com");
    CHECK(end == 25);
    REQUIRE(read_at(p, 25, n, &end) == NameError::None);
    CHECK(text(n) == "mail.example.com");
    CHECK(end == p.size());  // past the pointer, not past the target
}

TEST_CASE("read_name: forward, self and looping pointers are refused") {
    Name n;
    Packet forward;  // a pointer to octets after it
    forward.raw(std::string(12, '\0')).pointer(14).name("a");
    CHECK(read_at(forward, 12, n) == NameError::ForwardPointer);

    Packet self;  // a pointer to itself
    self.raw(std::string(12, '\0')).pointer(12);
    CHECK(read_at(self, 12, n) == NameError::ForwardPointer);

    Packet into_own_run;  // "a" then a pointer back to the "a": a loop
    into_own_run.raw(std::string(12, '\0')).name_then_pointer("a", 12);
    CHECK(read_at(into_own_run, 12, n) == NameError::ForwardPointer);

    // Two runs pointing at each other: 12: "a" -> 20, 20: "b" -> 12. Read
    // from 20, the jump to 12 is backwards, but 12's pointer to 20 is not
    // before its own run's start (12), so the loop is cut.
    Packet loop;
    loop.raw(std::string(12, '\0')).name_then_pointer("a", 20).raw(std::string(4, '\0'));
    REQUIRE(loop.size() == 20);
    loop.name_then_pointer("b", 12);
    CHECK(read_at(loop, 20, n) == NameError::ForwardPointer);
}

TEST_CASE("read_name: at most kMaxPointerHops pointers") {
    // A chain of backward pointers: at 12 the root, then each pointer points
    // at the one before it.
    auto chain = [](unsigned hops) {
        Packet p;
        p.raw(std::string(12, '\0')).u8(0);
        for (unsigned i = 0; i < hops; ++i) p.pointer(i == 0 ? 12 : unsigned(13 + 2 * (i - 1)));
        return p;
    };
    Name n;
    const Packet ok = chain(kMaxPointerHops);
    CHECK(read_at(ok, ok.size() - 2, n) == NameError::None);
    CHECK(n.is_root());
    const Packet too_many = chain(kMaxPointerHops + 1);
    CHECK(read_at(too_many, too_many.size() - 2, n) == NameError::TooManyHops);
}

TEST_CASE("read_name: truncation, label types, oversized labels and names") {
    Name n;
    Packet p;
    p.raw(std::string(12, '\0')).name("mail.example.com");
    for (std::size_t cut = 12; cut < p.size(); ++cut) {
        Packet prefix;
        prefix.bytes = p.bytes.substr(0, cut);
        CHECK_MESSAGE(read_at(prefix, 12, n) == NameError::Truncated, cut);
    }
    Packet half_pointer;
    half_pointer.raw(std::string(12, '\0')).u8(0xC0);
    CHECK(read_at(half_pointer, 12, n) == NameError::Truncated);
    Packet extended;
    extended.raw(std::string(12, '\0')).u8(0x41).raw("x").u8(0);
    CHECK(read_at(extended, 12, n) == NameError::BadLabelType);
    Packet label64;  // 0x40 is both "64" and the extended label type
    label64.raw(std::string(12, '\0')).u8(64).raw(std::string(64, 'a')).u8(0);
    CHECK(read_at(label64, 12, n) == NameError::BadLabelType);
    // Pointers that expand past 255 octets: four runs of a 63-octet label.
    Packet big;
    big.raw(std::string(12, '\0')).name(std::string(63, 'a'));  // 12..76
    big.name_then_pointer(std::string(63, 'b'), 12);            // 77..142
    big.name_then_pointer(std::string(63, 'c'), 77);            // 143..208
    big.name_then_pointer(std::string(63, 'd'), 143);           // 209..
    CHECK(read_at(big, 143, n) == NameError::None);
    CHECK(n.size() == 3 * 64 + 1);
    CHECK(read_at(big, 209, n) == NameError::TooLong);
}
