// Whole sessions as S:/C: dialogues (RFC 5321 Appendix D style). Each one is
// replayed with every split of the server's bytes and of the acknowledgements
// (check_transcript), and the engine must allocate nothing.
#include <doctest/doctest.h>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::kPipeliningReady;
using smtpcore::test::count_client_flights;
using smtpcore::test::run_transcript;

namespace {

using smtpcore::test::plain_config;

// DATA, as Postfix is often configured for (ChunkingPolicy::Never); the same
// server with BDAT is in test_chunking.cpp.
Config submission_config() {
    Config c = smtpcore::test::credentials_config(TlsMode::StartTlsRequired);
    c.chunking = ChunkingPolicy::Never;
    return c;
}

// Postfix 3.7 as a submission server (postconf smtpd_* defaults, Debian).
const char* kPostfixSubmission = R"T(
S: 220 mail.example.com ESMTP Postfix (Debian/GNU)
E: greeting 220
C: EHLO client.example
S: 250-mail.example.com
S: 250-PIPELINING
S: 250-SIZE 10240000
S: 250-VRFY
S: 250-ETRN
S: 250-STARTTLS
S: 250-ENHANCEDSTATUSCODES
S: 250-8BITMIME
S: 250-DSN
S: 250-SMTPUTF8
S: 250 CHUNKING
C: STARTTLS
S: 220 2.0.0 Ready to start TLS
E: start-tls 220 2.0.0
A: tls
C: EHLO client.example
S: 250-mail.example.com
S: 250-PIPELINING
S: 250-SIZE 10240000
S: 250-VRFY
S: 250-ETRN
S: 250-AUTH PLAIN LOGIN
S: 250-ENHANCEDSTATUSCODES
S: 250-8BITMIME
S: 250-DSN
S: 250-SMTPUTF8
S: 250 CHUNKING
C: AUTH PLAIN AHVzZXIAc2VjcmV0
S: 235 2.7.0 Authentication successful
E: authenticated 235 2.7.0
E: ready
A: submit alice@example.org bob@example.net carol@example.net
C: MAIL FROM:<alice@example.org>
C: RCPT TO:<bob@example.net>
C: RCPT TO:<carol@example.net>
C: DATA
S: 250 2.1.0 Ok
S: 250 2.1.5 Ok
S: 550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown
S: 354 End data with <CR><LF>.<CR><LF>
E: recipient 250 2.1.5 #0 bob@example.net
E: recipient 550 5.1.1 #1 carol@example.net
E: body-wanted 354
A: body Subject: hi\r\n\r\n.leading dot\r\nbare lf\nbare cr\rend
C: Subject: hi
C: 
C: ..leading dot
C: bare lf
C: bare cr
A: body-end
C: end
C: .
S: 250 2.0.0 Ok: queued as 4FQ1x2
E: message-accepted 250 2.0.0
E: ready
A: quit
C: QUIT
S: 221 2.0.0 Bye
E: closed 221 2.0.0 "Bye"
)T";

}  // namespace

TEST_CASE("Postfix submission: STARTTLS, AUTH PLAIN, pipelined envelope, one recipient refused") {
    CHECK(check_transcript(submission_config(), kPostfixSubmission) == "");
}

TEST_CASE("a pipelined message takes 2 client flights, a lock-step one 4") {
    const char* pipelined = R"T(
S: 220 mx.example.com ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx.example.com
S: 250 PIPELINING
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body hello
A: body-end
C: hello
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), pipelined) == "");
    auto log = run_transcript(plain_config(), pipelined).log;
    // EHLO, then envelope+DATA, then body: the message itself takes 2.
    CHECK(count_client_flights(log) == 1 + 2);

    const char* lockstep = R"T(
S: 220 mx.example.com ESMTP
E: greeting 220
C: EHLO client.example
S: 250 mx.example.com
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
S: 250 ok
C: RCPT TO:<b@example.net>
S: 250 ok
E: recipient 250 #0 b@example.net
C: DATA
S: 354 go
E: body-wanted 354
A: body hello
A: body-end
C: hello
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), lockstep) == "");
    CHECK(count_client_flights(run_transcript(plain_config(), lockstep).log) == 1 + 4);
}

TEST_CASE("Exim with AUTH LOGIN only, lock-step challenges") {
    Config c = submission_config();
    c.tls = TlsMode::Implicit;
    const char* t = R"T(
A: tls
S: 220 mx.exim.example ESMTP Exim 4.96 Mon, 23 Nov 2026 10:00:00 +0000
E: greeting 220
C: EHLO client.example
S: 250-mx.exim.example Hello client.example [192.0.2.1]
S: 250-SIZE 52428800
S: 250-8BITMIME
S: 250-PIPELINING
S: 250-PIPE_CONNECT
S: 250-AUTH LOGIN
S: 250-CHUNKING
S: 250-PRDR
S: 250 HELP
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 235 Authentication succeeded
E: authenticated 235
E: ready
)T";
    CHECK(check_transcript(c, t) == "");
}

TEST_CASE("Gmail and Microsoft 365 EHLO replies are understood") {
    Config c = plain_config();
    const char* gmail = R"T(
S: 220 smtp.gmail.com ESMTP a1-20020a170902 - gsmtp
E: greeting 220
C: EHLO client.example
S: 250-smtp.gmail.com at your service, [192.0.2.1]
S: 250-SIZE 35882577
S: 250-8BITMIME
S: 250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH
S: 250-ENHANCEDSTATUSCODES
S: 250-PIPELINING
S: 250-CHUNKING
S: 250 SMTPUTF8
E: ready
)T";
    CHECK(check_transcript(c, gmail) == "");
    auto r = run_transcript(c, gmail);
    CHECK(r.engine_allocations == 0);

    // Drive the same bytes by hand to look at the capabilities.
    char storage[2048];
    Client client(c, MutableBytes(storage, sizeof storage));
    auto feed_all = [&](std::string s) {
        while (!s.empty()) {
            s.erase(0, client.feed(s));
            while (client.next_event().type != EventType::None) {}
            client.send_ack(client.send_buf().size());
        }
    };
    feed_all("220 smtp.gmail.com ESMTP\r\n");
    feed_all("250-smtp.gmail.com at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
             "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
             "250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n");
    const Capabilities& caps = client.capabilities();
    CHECK(caps.has(Extension::Pipelining));
    CHECK(caps.has(Extension::Chunking));
    CHECK(caps.has(Extension::SmtpUtf8));
    CHECK(caps.has(Extension::EnhancedStatusCodes));
    CHECK_FALSE(caps.has(Extension::StartTls));
    CHECK(caps.size_limit == 35882577u);
    CHECK(caps.offers(SaslMechanism::Plain));
    CHECK(caps.offers(SaslMechanism::Login));
    CHECK(caps.offers(SaslMechanism::XOAuth2));
    CHECK(caps.offers(SaslMechanism::OAuthBearer));
    CHECK_FALSE(caps.offers(SaslMechanism::ScramSha256));

    const char* m365 = R"T(
S: 220 BN8PR12CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Mon, 23 Nov 2026 10:00:00 +0000
E: greeting 220
C: EHLO client.example
S: 250-BN8PR12CA0001.outlook.office365.com Hello [192.0.2.1]
S: 250-SIZE 157286400
S: 250-PIPELINING
S: 250-DSN
S: 250-ENHANCEDSTATUSCODES
S: 250-STARTTLS
S: 250-8BITMIME
S: 250-BINARYMIME
S: 250-CHUNKING
S: 250 SMTPUTF8
C: STARTTLS
S: 220 2.0.0 SMTP server ready
E: start-tls 220 2.0.0
A: tls
C: EHLO client.example
S: 250-BN8PR12CA0001.outlook.office365.com Hello [192.0.2.1]
S: 250-SIZE 157286400
S: 250-PIPELINING
S: 250-DSN
S: 250-ENHANCEDSTATUSCODES
S: 250-AUTH LOGIN XOAUTH2
S: 250-8BITMIME
S: 250-BINARYMIME
S: 250-CHUNKING
S: 250 SMTPUTF8
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 235 2.7.0 Authentication successful
E: authenticated 235 2.7.0
E: ready
)T";
    CHECK(check_transcript(submission_config(), m365) == "");
}

TEST_CASE("legacy AUTH= form and EHLO keywords in lower case") {
    const char* t = R"T(
S: 220 old.example ESMTP
E: greeting 220
C: EHLO client.example
S: 250-old.example
S: 250-auth=LOGIN
S: 250 starttls
C: STARTTLS
S: 220 go ahead
E: start-tls 220
A: tls
C: EHLO client.example
S: 250-old.example
S: 250 AUTH=LOGIN
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
C: dXNlcg==
S: 334 UGFzc3dvcmQ6
C: c2VjcmV0
S: 235 ok
E: authenticated 235
E: ready
)T";
    CHECK(check_transcript(submission_config(), t) == "");
}

TEST_CASE("HELO fallback for a server that refuses EHLO, when TLS is not required") {
    const char* t = R"T(
S: 220 rfc821.example SMTP
E: greeting 220
C: EHLO client.example
S: 502 command not implemented
C: HELO client.example
S: 250 rfc821.example
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
S: 250 ok
C: RCPT TO:<b@example.net>
S: 250 ok
E: recipient 250 #0 b@example.net
C: DATA
S: 354 go
E: body-wanted 354
A: body x
A: body-end
C: x
C: .
S: 250 ok
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("several messages in one session; RSET only after a failed one") {
    const std::string t = kPipeliningReady + R"T(
A: submit a@example.org nobody@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<nobody@example.net>
C: DATA
S: 250 ok
S: 550 5.1.1 no such user
S: 554 5.5.1 no valid recipients
E: recipient 550 5.1.1 #0 nobody@example.net
C: RSET
S: 250 ok
E: message-rejected permanent "no recipient was accepted"
E: ready
A: submit <> b@example.net
C: MAIL FROM:<>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body one
A: body-end
C: one
C: .
S: 250 ok
E: message-accepted 250
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body two
A: body-end
C: two
C: .
S: 452 4.3.1 insufficient system storage
E: message-rejected 452 4.3.1 temporary "insufficient system storage"
E: ready
A: quit
C: QUIT
S: 221 bye
E: closed 221 "bye"
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("MAIL refused: the pipelined RCPT and DATA replies are drained, no RSET") {
    const char* t = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-ENHANCEDSTATUSCODES
S: 250 PIPELINING
E: ready
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
C: DATA
S: 553 5.7.1 <a@example.org>: Sender address rejected: not owned by user
S: 503 5.5.1 Error: need MAIL command
S: 503 5.5.1 Error: need MAIL command
S: 503 5.5.1 Error: need MAIL command
E: message-rejected 553 5.7.1 permanent "<a@example.org>: Sender address rejected: not owned by user"
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("all recipients refused but the server still answers DATA with 354: a lone dot") {
    const std::string t = kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 450 4.2.0 greylisted
S: 354 go ahead
E: recipient 450 4.2.0 #0 b@example.net
C: .
S: 554 no valid recipients
E: message-rejected temporary "no recipient was accepted"
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("RecipientPolicy::AllRequired waits for RCPT replies before DATA") {
    Config c = plain_config();
    c.recipients = RecipientPolicy::AllRequired;
    const std::string refused = kPipeliningReady + R"T(
A: submit a@example.org b@example.net c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: RCPT TO:<c@example.net>
S: 250 ok
S: 250 ok
S: 550 no
E: recipient 250 #0 b@example.net
E: recipient 550 #1 c@example.net
C: RSET
S: 250 ok
E: message-rejected permanent "a recipient was refused and all are required"
E: ready
)T";
    CHECK(check_transcript(c, refused) == "");
    const std::string accepted = kPipeliningReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
S: 250 ok
S: 250 ok
E: recipient 250 #0 b@example.net
C: DATA
S: 354 go
E: body-wanted 354
)T";
    CHECK(check_transcript(c, accepted) == "");
}

TEST_CASE("SIZE, BODY=8BITMIME and SMTPUTF8 parameters") {
    const char* t = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-SIZE 1000
S: 250-8BITMIME
S: 250 SMTPUTF8
E: ready
A: submit-size 2000 a@example.org b@example.net
R: unsupported "message is larger than the server's SIZE limit" at MAIL FROM
A: submit-size 999 a@example.org b@example.net
C: MAIL FROM:<a@example.org> SIZE=999
S: 250 ok
C: RCPT TO:<b@example.net>
S: 250 ok
E: recipient 250 #0 b@example.net
C: DATA
S: 554 no
C: RSET
S: 250 ok
E: message-rejected 554 permanent "no"
E: ready
A: submit-8bit a@example.org b@example.net
C: MAIL FROM:<a@example.org> BODY=8BITMIME
S: 550 no
E: message-rejected 550 permanent "no"
E: ready
A: submit-utf8 jörg@bücher.example b@example.net
C: MAIL FROM:<jörg@bücher.example> SMTPUTF8
)T";
    CHECK(check_transcript(plain_config(), t) == "");
    const char* lacking = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250 mx
E: ready
A: submit-8bit a@example.org b@example.net
R: unsupported "server does not offer 8BITMIME" at MAIL FROM
A: submit-utf8 jörg@example.org b@example.net
R: unsupported "server does not offer SMTPUTF8" at MAIL FROM
A: submit jörg@example.org b@example.net
R: invalid-input "address is not ASCII (needs SMTPUTF8)" at MAIL FROM
)T";
    CHECK(check_transcript(plain_config(), lacking) == "");
}

TEST_CASE("opportunistic STARTTLS goes on in plaintext when refused; required does not") {
    Config c = plain_config();
    c.tls = TlsMode::Opportunistic;
    const char* t = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 STARTTLS
C: STARTTLS
S: 454 4.7.0 TLS not available due to local problem
E: ready
)T";
    CHECK(check_transcript(c, t) == "");
    c.tls = TlsMode::StartTlsRequired;
    const char* required = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 STARTTLS
C: STARTTLS
S: 454 4.7.0 TLS not available due to local problem
E: error 454 4.7.0 [tls-required] "TLS not available due to local problem"
C: QUIT
)T";
    CHECK(check_transcript(c, required) == "");
    const char* stripped = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 AUTH PLAIN
E: error [tls-required] "server does not offer STARTTLS"
C: QUIT
)T";
    CHECK(check_transcript(c, stripped) == "");
}
