// SCRAM-SHA-256 and -PLUS: the RFC 7677 §3 exchange, hand-made vectors for
// channel binding and authzid (computed with an independent implementation
// over OpenSSL's HMAC and PBKDF2), and every server-first / server-final check.
#include <doctest/doctest.h>

#include <string>

#include "response.hpp"
#include "sasl_scram.hpp"

using namespace smtpcore;
using detail::ChannelBinding;
using detail::ScramParams;
using detail::ScramSha256;
using test::decoded;
using test::respond;

namespace {

// RFC 7677 §3: the client nonce "rOprNGfwEbeRWgbNEkqO" is the base64 of these
// 15 octets, so handing them over as the host's random octets reproduces it.
const std::string kRfcRandom = decoded("rOprNGfwEbeRWgbNEkqO");
const std::string kRfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

ScramParams rfc_params() {
    ScramParams p;
    p.username = "user";
    p.password = "pencil";
    p.random = as_bytes(kRfcRandom);
    return p;
}

// A client that has sent client-first with `p` and now reads `server_first`.
const char* answer(ScramSha256& scram, const ScramParams& p, const std::string& server_first, std::string* final_text = nullptr) {
    REQUIRE(respond([&](detail::SaslOutput& o) { return scram.start(p, o); }).refusal == nullptr);
    const test::Response r = respond([&](detail::SaslOutput& o) { return scram.answer_server_first(server_first, o); });
    if (final_text != nullptr) *final_text = r.text;
    return r.refusal;
}

const std::string kRandom16 = std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16);
const std::string kNonce16 = "AQIDBAUGBwgJCgsMDQ4PEA==";  // base64 of kRandom16
const std::string kSalt16 = "AAECAwQFBgcICQoLDA0ODw==";   // octets 0..15

}  // namespace

TEST_CASE("SCRAM-SHA-256: the RFC 7677 §3 exchange, server signature verified") {
    ScramSha256 scram;
    const ScramParams p = rfc_params();
    const auto first = respond([&](detail::SaslOutput& o) { return scram.start(p, o); });
    REQUIRE(first.refusal == nullptr);
    CHECK(first.text == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");

    const auto final_message = respond([&](detail::SaslOutput& o) { return scram.answer_server_first(kRfcServerFirst, o); });
    REQUIRE(final_message.refusal == nullptr);
    CHECK(final_message.text ==
          "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    CHECK_FALSE(scram.server_verified());
    CHECK(scram.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") == nullptr);
    CHECK(scram.server_verified());
}

TEST_CASE("SCRAM-SHA-256: a wrong server signature is fatal (mutual authentication)") {
    ScramSha256 scram;
    REQUIRE(answer(scram, rfc_params(), kRfcServerFirst) == nullptr);
    // The RFC's signature with its last character changed.
    CHECK(scram.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5=") != nullptr);
    CHECK_FALSE(scram.server_verified());
    // Nothing more is accepted afterwards, not even the right signature.
    CHECK(scram.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") != nullptr);
    CHECK_FALSE(scram.server_verified());
}

TEST_CASE("SCRAM-SHA-256: server-final forms that do not authenticate the server") {
    for (const char* text : {"", "v=", "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4", "x=1,v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                             "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,", "v=AAAA"}) {
        CAPTURE(text);
        ScramSha256 scram;
        REQUIRE(answer(scram, rfc_params(), kRfcServerFirst) == nullptr);
        CHECK(scram.verify_server_final(text) != nullptr);
        CHECK_FALSE(scram.server_verified());
    }
    // An extension after the verifier is allowed (RFC 5802 §7).
    ScramSha256 scram;
    REQUIRE(answer(scram, rfc_params(), kRfcServerFirst) == nullptr);
    CHECK(scram.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,x=later") == nullptr);
}

TEST_CASE("SCRAM-SHA-256: the server's e= is reported with its value") {
    ScramSha256 scram;
    REQUIRE(answer(scram, rfc_params(), kRfcServerFirst) == nullptr);
    std::string_view error;
    CHECK(scram.verify_server_final("e=invalid-proof", &error) != nullptr);
    CHECK(error == "invalid-proof");
    CHECK_FALSE(scram.server_verified());
}

TEST_CASE("SCRAM-SHA-256-PLUS: p=tls-exporter with the binding octets in c=") {
    std::string binding;
    for (int i = 0x20; i < 0x40; ++i) binding += static_cast<char>(i);
    ScramParams p;
    p.username = "user=x,y";  // escaped as saslname
    p.password = "pencil";
    p.random = as_bytes(kRandom16);
    p.binding = ChannelBinding::TlsExporter;
    p.binding_data = as_bytes(binding);
    ScramSha256 scram;
    const auto first = respond([&](detail::SaslOutput& o) { return scram.start(p, o); });
    CHECK(first.text == "p=tls-exporter,,n=user=3Dx=2Cy,r=" + kNonce16);
    const auto fin = respond([&](detail::SaslOutput& o) {
        return scram.answer_server_first("r=" + kNonce16 + "srvNONCE42,s=" + kSalt16 + ",i=4096", o);
    });
    REQUIRE(fin.refusal == nullptr);
    CHECK(fin.text == "c=cD10bHMtZXhwb3J0ZXIsLCAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/,r=" + kNonce16 +
                          "srvNONCE42,p=lfA9kt6jIy2XWcm2Q7hkj8Gu8rvrcgfFI+uRjppgV1U=");
    CHECK(decoded("cD10bHMtZXhwb3J0ZXIsLCAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/") == "p=tls-exporter,," + binding);
    CHECK(scram.verify_server_final("v=2dCMuJFqULG5inaBnNM3U81GaTlRXmN30KZM82edPMo=") == nullptr);
}

TEST_CASE("SCRAM-SHA-256: y flag (client could bind, server did not offer -PLUS) and an authzid") {
    ScramParams p;
    p.username = "user";
    p.password = "pencil";
    p.authzid = "admin";
    p.random = as_bytes(kRandom16);
    p.binding = ChannelBinding::ServerDidNotOffer;
    ScramSha256 scram;
    const auto first = respond([&](detail::SaslOutput& o) { return scram.start(p, o); });
    CHECK(first.text == "y,a=admin,n=user,r=" + kNonce16);
    std::string fin;
    REQUIRE(answer(scram, p, "r=" + kNonce16 + "srv,s=" + kSalt16 + ",i=4096", &fin) == nullptr);
    CHECK(fin == "c=eSxhPWFkbWluLA==,r=" + kNonce16 + "srv,p=aBBhDC7muzAp7YHP8ABuuzwopBwTnQTak8IgAgL9eWg=");
    CHECK(scram.verify_server_final("v=SsZ8xXy1dZ/dwOUfisbcHuum0PK/fioeVIWIjr2FYZI=") == nullptr);
}

TEST_CASE("SCRAM-SHA-256: server-first checks") {
    const std::string ok_tail = ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    const std::string server_nonce = "r=rOprNGfwEbeRWgbNEkqO%hvY";
    struct Case {
        std::string text;
        bool accepted;
    };
    const Case cases[] = {
        {server_nonce + ok_tail, true},
        {server_nonce + ok_tail + ",x=extension,y=", true},
        {"m=must-understand," + server_nonce + ok_tail, false},  // RFC 5802 §5.1: m= fails the exchange
        {"r=rOprNGfwEbeRWgbNEkqO" + ok_tail, false},               // not extended
        {"r=XOprNGfwEbeRWgbNEkqO%hvY" + ok_tail, false},           // not ours
        {"r=rOprNGfwEbe" + ok_tail, false},                        // shorter than ours
        {server_nonce + "\x7f" + ok_tail, false},                  // non-printable
        {server_nonce + ",i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==", false},
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==", false},
        {server_nonce + ",s=,i=4096", false},
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ=,i=4096", false},
        {server_nonce + ",s=" + std::string(176, 'A') + ",i=4096", false},  // 132 octets of salt
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", false},
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=04096", false},
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096x", false},
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095", false},   // below the minimum
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=65537", false},  // above the maximum
        {server_nonce + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999999999999", false},
        {server_nonce + ok_tail + ",", false},
        {server_nonce + ok_tail + ",=x", false},
        {"", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        ScramSha256 scram;
        CHECK((answer(scram, rfc_params(), c.text) == nullptr) == c.accepted);
    }
}

TEST_CASE("SCRAM-SHA-256: the iteration bounds come from the caller") {
    ScramParams p = rfc_params();
    p.min_iterations = 1;
    p.max_iterations = 4000;
    ScramSha256 scram;
    CHECK(answer(scram, p, kRfcServerFirst) != nullptr);
    p.max_iterations = 4096;
    ScramSha256 again;
    CHECK(answer(again, p, kRfcServerFirst) == nullptr);
}

TEST_CASE("SCRAM-SHA-256: start() refuses what it cannot send") {
    const std::string few(14, 'x'), many(49, 'x'), binding31(31, 'b');
    auto refused = [](const ScramParams& p) {
        ScramSha256 scram;
        return respond([&](detail::SaslOutput& o) { return scram.start(p, o); }).refusal != nullptr;
    };
    CHECK_FALSE(refused(rfc_params()));
    ScramParams p = rfc_params();
    p.username = "us\xc3\xa9r";  // non-ASCII: SASLprep beyond ASCII is not built
    CHECK(refused(p));
    p = rfc_params();
    p.password = "pen\tcil";
    CHECK(refused(p));
    p = rfc_params();
    p.password = "";
    CHECK(refused(p));
    p = rfc_params();
    p.random = as_bytes(few);
    CHECK(refused(p));
    p.random = as_bytes(many);
    CHECK(refused(p));
    p = rfc_params();
    p.binding = ChannelBinding::TlsExporter;  // without the exporter's octets
    CHECK(refused(p));
    p.binding_data = as_bytes(binding31);
    CHECK(refused(p));
    p = rfc_params();
    p.min_iterations = 10;
    p.max_iterations = 9;
    CHECK(refused(p));
}

TEST_CASE("SCRAM-SHA-256: steps out of order are refused") {
    ScramSha256 scram;
    const auto early = respond([&](detail::SaslOutput& o) { return scram.answer_server_first(kRfcServerFirst, o); });
    CHECK(early.refusal != nullptr);
    CHECK(early.text.empty());
    ScramSha256 other;
    CHECK(other.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") != nullptr);
    CHECK_FALSE(other.server_verified());
}

TEST_CASE("SASLprep, ASCII subset (RFC 4013)") {
    CHECK(detail::check_saslprep_ascii("user name~!") == nullptr);
    CHECK(detail::check_saslprep_ascii("") != nullptr);
    CHECK(detail::check_saslprep_ascii(std::string_view("a\0b", 3)) != nullptr);
    CHECK(detail::check_saslprep_ascii("a\x7f") != nullptr);
    CHECK(detail::check_saslprep_ascii("\xe2\x85\xa8") != nullptr);  // U+2168 would map to "IX" under NFKC
}
