// CapabilityParser (RFC 5321 §4.1.1.1 EHLO keywords).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "smtpcore/detail/capability_parser.hpp"

using namespace smtpcore;
using smtpcore::detail::CapabilityParser;

namespace {

// Feeds each line's text (without "250-") in pieces of `piece` octets.
Capabilities parse(const std::vector<std::string>& lines, std::size_t piece = 0) {
    Capabilities caps;
    CapabilityParser p;
    p.begin_line();
    for (const auto& line : lines) {
        for (std::size_t off = 0; off < line.size();) {
            const std::size_t n = piece == 0 ? line.size() : std::min(piece, line.size() - off);
            p.text(caps, std::string_view(line.data() + off, n));
            off += n;
        }
        p.end_line(caps);
    }
    return caps;
}

}  // namespace

TEST_CASE("keywords, any case, any split") {
    const std::vector<std::string> lines = {"pipelining", "SIZE 35882577", "8BITMIME", "SmtpUtf8", "STARTTLS",
                                            "AUTH PLAIN LOGIN", "CHUNKING", "BINARYMIME", "DSN",
                                            "ENHANCEDSTATUSCODES", "REQUIRETLS", "X-UNKNOWN whatever", "VRFY"};
    for (std::size_t piece = 0; piece < 12; ++piece) {
        const Capabilities c = parse(lines, piece);
        CHECK(c.has(Extension::Pipelining));
        CHECK(c.has(Extension::Size));
        CHECK(c.size_limit == 35882577u);
        CHECK(c.has(Extension::EightBitMime));
        CHECK(c.has(Extension::SmtpUtf8));
        CHECK(c.has(Extension::StartTls));
        CHECK(c.has(Extension::Auth));
        CHECK(c.has(Extension::Chunking));
        CHECK(c.has(Extension::BinaryMime));
        CHECK(c.has(Extension::Dsn));
        CHECK(c.has(Extension::EnhancedStatusCodes));
        CHECK(c.has(Extension::RequireTls));
        CHECK(c.offers(SaslMechanism::Plain));
        CHECK(c.offers(SaslMechanism::Login));
        CHECK_FALSE(c.offers(SaslMechanism::CramMd5));
    }
}

TEST_CASE("an empty list means nothing; parameters are not keywords") {
    const Capabilities none = parse({});
    CHECK(none.extensions == 0);
    // "PIPELINING" as a parameter of another keyword is not the extension.
    const Capabilities c = parse({"X-FEATURES PIPELINING STARTTLS"});
    CHECK_FALSE(c.has(Extension::Pipelining));
    CHECK_FALSE(c.has(Extension::StartTls));
}

TEST_CASE("AUTH mechanisms: legacy AUTH= form, unknown and over-long names skipped") {
    const Capabilities legacy = parse({"AUTH=LOGIN PLAIN"});
    CHECK(legacy.has(Extension::Auth));
    CHECK(legacy.offers(SaslMechanism::Login));
    CHECK(legacy.offers(SaslMechanism::Plain));
    const Capabilities c = parse({"AUTH GSSAPI " + std::string(40, 'P') + " SCRAM-SHA-256 xoauth2"});
    CHECK(c.offers(SaslMechanism::ScramSha256));
    CHECK(c.offers(SaslMechanism::XOAuth2));
    CHECK_FALSE(c.offers(SaslMechanism::Plain));
    // A 40-character token starting with PLAIN is not PLAIN.
    CHECK_FALSE(parse({"AUTH PLAIN" + std::string(30, 'X')}).offers(SaslMechanism::Plain));
}

TEST_CASE("SIZE: no parameter, junk, and values beyond 64 bits") {
    CHECK(parse({"SIZE"}).has(Extension::Size));
    CHECK(parse({"SIZE"}).size_limit == 0);
    CHECK(parse({"SIZE 12x"}).size_limit == 0);
    CHECK(parse({"SIZE 99999999999999999999"}).size_limit == ~std::uint64_t(0));
    CHECK(parse({"SIZE 18446744073709551615"}).size_limit == ~std::uint64_t(0));
    CHECK(parse({"SIZE 0"}).size_limit == 0);
}
