// DSN (RFC 3461) and REQUIRETLS (RFC 8689) requests with hostile values, to a
// server that offers DSN, REQUIRETLS and SMTPUTF8 or not, over TLS or not.
// CheckedSession holds every invariant, and for these: a DSN parameter only on
// a message that asked, ENVID and ORCPT decoding to exactly what was
// submitted, REQUIRETLS only as asked and over TLS, no line broken. A refused
// submission sends no MAIL.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "checked_session.hpp"

using namespace smtpcore;
using namespace smtpcore::test;

namespace {

// Values that try to break a command line or the xtext encoding.
rc::Gen<std::string> hostile_value() {
    return rc::gen::oneOf(
        rc::gen::element<std::string>("QQ314159", "a b", "+", "=", "x\r\nRSET", "x\nDATA", "b@example.net",
                                      "\"a+b=c d\"@example.org", "j\xc3\xb6ran@b\xc3\xbc" "cher.example",
                                      "\xf0\x9f\x93\xa7@example.org", "", std::string(101, 'e')),
        rc::gen::container<std::string>(rc::gen::element<char>('a', '@', '+', '=', ' ', '\r', '\n', '\0', '\x7f',
                                                                '\xc3', '\xa9', '"', '\\', '.')));
}

// One message to a scripted server that takes everything; returns the
// session's verdict ("" when every invariant held).
std::string run_one(bool tls, bool offered, const CheckedSession::Submission& submission, bool& mail_sent) {
    Config c;
    c.client_name = "client.example";
    c.tls = tls ? TlsMode::StartTlsRequired : TlsMode::None;
    CheckedSession s(c, 4096, &allocation_count);
    const std::string keywords = offered ? "250-DSN\r\n250-SMTPUTF8\r\n250-REQUIRETLS\r\n" : "";
    s.feed("220 mx\r\n");
    s.drain();
    if (tls) {
        s.ack(~std::size_t(0));
        s.feed("250-mx\r\n250 STARTTLS\r\n");
        s.drain();
        s.ack(~std::size_t(0));
        s.feed("220 go\r\n");
        s.drain();
        s.tls_established();
    }
    s.ack(~std::size_t(0));
    s.feed("250-mx\r\n" + keywords + "250 PIPELINING\r\n");
    s.drain();
    const Error refused = s.submit(submission);
    s.drain();
    s.ack(~std::size_t(0));
    mail_sent = s.wire().find("MAIL FROM") != std::string::npos;
    if (!refused) {
        std::string replies = "250 ok\r\n";
        for (std::size_t i = 0; i < submission.recipients.size(); ++i) replies += "250 ok\r\n";
        s.feed(replies + "354 go\r\n");
        s.drain();
        s.body("Subject: x\r\n\r\nhi\r\n");
        s.body_end();
        s.drain();
        s.ack(~std::size_t(0));
        s.feed("250 queued\r\n");
        s.drain();
    }
    s.finish();
    return refused ? (mail_sent ? "a refused submission sent MAIL" : s.violation()) : s.violation();
}

}  // namespace

TEST_CASE("property: hostile DSN and REQUIRETLS requests never break a line and go out only as asked") {
    CHECK(rc::check("envelope extensions", [] {
        CheckedSession::Submission m;
        m.from = "a@example.org";
        const int recipients = *rc::gen::inRange(1, 4);
        for (int i = 0; i < recipients; ++i) m.recipients.push_back(*rc::gen::element<std::string>("b@example.net", "c@example.org"));
        m.smtputf8 = *rc::gen::arbitrary<bool>();
        m.dsn = *rc::gen::arbitrary<bool>();
        m.ret = static_cast<DsnReturn>(*rc::gen::inRange(0, 4));
        m.envid = *hostile_value();
        m.notify = static_cast<std::uint8_t>(*rc::gen::inRange(0, 32));
        if (*rc::gen::arbitrary<bool>())
            for (std::size_t i = 0; i < m.recipients.size(); ++i) m.orcpt.push_back(*hostile_value());
        m.require_tls = *rc::gen::arbitrary<bool>();
        const bool tls = *rc::gen::arbitrary<bool>();
        const bool offered = *rc::gen::arbitrary<bool>();
        bool mail_sent = false;
        const std::string verdict = run_one(tls, offered, m, mail_sent);
        RC_ASSERT(verdict == "");
        // REQUIRETLS without TLS, or not offered: never a MAIL.
        if (m.require_tls && (!tls || !offered)) RC_ASSERT(!mail_sent);
        RC_TAG(mail_sent ? "sent" : "refused");
    }));
}
