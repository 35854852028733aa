// CHUNKING and BINARYMIME (RFC 3030): BDAT chunks of exact sizes, no
// dot-stuffing, CRLF repair and the line limit unless BINARYMIME, BDAT LAST
// as the final reply, pipelined chunks, and what a refused BDAT does. Every
// dialogue replays at every split (check_transcript), zero allocations.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::plain_config;

namespace {

const std::string kChunkingReady =
    "S: 220 mx ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250-mx\n"
    "S: 250-PIPELINING\n"
    "S: 250-8BITMIME\n"
    "S: 250-BINARYMIME\n"
    "S: 250 CHUNKING\n"
    "E: ready\n";

// The envelope of one message, pipelined; BodyWanted needs no 354.
const std::string kEnvelope =
    "A: submit a@example.org b@example.net\n"
    "E: body-wanted\n"
    "C: MAIL FROM:<a@example.org>\n"
    "C: RCPT TO:<b@example.net>\n";

// 64 octets with CRLF: sixteen make a 1024-octet chunk.
std::string line64(char c) { return std::string(62, c) + "\\r\\n"; }
std::string lines64(char c, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += line64(c);
    return s;
}
std::string expected_lines64(char c, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "C: " + std::string(62, c) + "\n";
    return s;
}

}  // namespace

TEST_CASE("BDAT: one chunk, LAST, exact size; no dot-stuffing; bare CR and LF still become CRLF") {
    // "hello" CRLF ".dot" CRLF "bare" CRLF "cr" CRLF: 7 + 6 + 6 + 4 = 23 octets (RFC 3030 §2).
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body hello\n.dot\r\nbare\rcr
A: body-end
C: BDAT 23 LAST
C: hello
C: .dot
C: bare
C: cr
S: 250 2.1.0 ok
S: 250 2.1.5 ok
S: 250 2.0.0 queued
E: recipient 250 2.1.5 #0 b@example.net
E: message-accepted 250 2.0.0
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: every chunk but the last is exactly chunk_size() octets, whatever the pieces") {
    // 2048 bytes of storage: a 1600-octet send buffer, 1024-octet chunks.
    // 40 lines of 64 octets and "tail" (ended by CRLF): 1024, 1024, 518 LAST.
    const std::string t = kChunkingReady + kEnvelope + "A: body " + lines64('a', 16) + lines64('b', 16) +
                          lines64('c', 8) + "tail\nC: BDAT 1024\n" + expected_lines64('a', 16) +
                          "C: BDAT 1024\n" + expected_lines64('b', 16) + "A: body-end\nC: BDAT 518 LAST\n" +
                          expected_lines64('c', 8) + R"T(C: tail
S: 250 ok
S: 250 ok
S: 250 ok
S: 250 ok
S: 250 queued
E: recipient 250 #0 b@example.net
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: a body that ends on a chunk boundary ends with BDAT 0 LAST") {
    const std::string t = kChunkingReady + kEnvelope + "A: body " + lines64('a', 16) +
                          "\nC: BDAT 1024\n" + expected_lines64('a', 16) + R"T(A: body-end
C: BDAT 0 LAST
S: 250 ok
S: 250 ok
S: 250 ok
S: 250 queued
E: recipient 250 #0 b@example.net
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT refused mid-body: no more chunks, the rest is dropped, RSET, the message fails") {
    // RFC 3030 §2: after a 4xx/5xx to a BDAT the client sends no more BDAT.
    const std::string t = kChunkingReady + kEnvelope + "A: body " + lines64('a', 17) + R"T(
C: BDAT 1024
)T" + expected_lines64('a', 16) + R"T(S: 250 ok
S: 250 ok
S: 552 5.3.4 message too big
E: recipient 250 #0 b@example.net
A: body more content that is dropped
A: body-end
C: RSET
S: 250 flushed
E: message-rejected 552 5.3.4 permanent "message too big"
E: ready
A: submit a@example.org b@example.net
E: body-wanted
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
A: body next
A: body-end
C: BDAT 6 LAST
C: next
S: 250 ok
S: 250 ok
S: 250 queued
E: recipient 250 #0 b@example.net
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT refused after LAST went out: the LAST reply ends it, then RSET") {
    const std::string t = kChunkingReady + kEnvelope + "A: body " + lines64('a', 17) + R"T(
C: BDAT 1024
)T" + expected_lines64('a', 16) + R"T(A: body-end
C: BDAT 64 LAST
)T" + expected_lines64('a', 1) + R"T(S: 250 ok
S: 250 ok
S: 451 4.3.0 disk full
S: 503 5.5.1 no transaction
E: recipient 250 #0 b@example.net
C: RSET
S: 250 flushed
E: message-rejected 451 4.3.0 temporary "disk full"
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT LAST refused, nothing behind it: RSET, then the outcome (RFC 3030 §2)") {
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body hello
A: body-end
C: BDAT 7 LAST
C: hello
S: 250 ok
S: 250 ok
S: 554 5.7.1 spam
E: recipient 250 #0 b@example.net
C: RSET
S: 250 flushed
E: message-rejected 554 5.7.1 permanent "spam"
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT LAST refused with the next message's MAIL already behind it: no RSET, the next is unaffected") {
    // The refused transaction ended with the BDAT LAST reply (the server has
    // discarded its content); the pipelined MAIL opened the next one, which an
    // RSET would clear.
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body one
A: body-end
C: BDAT 5 LAST
C: one
A: submit c@example.org d@example.net
C: MAIL FROM:<c@example.org>
C: RCPT TO:<d@example.net>
S: 250 ok
S: 250 ok
S: 554 5.7.1 spam
S: 250 ok
S: 250 ok
E: recipient 250 #0 b@example.net
E: message-rejected 554 5.7.1 permanent "spam"
E: body-wanted
E: recipient 250 #0 d@example.net
A: body two
A: body-end
C: BDAT 5 LAST
C: two
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: MAIL refused while the body flows: the outcome once every reply is in, no RSET") {
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body hello
A: body-end
C: BDAT 7 LAST
C: hello
S: 550 5.7.1 sender refused
S: 503 5.5.1 need MAIL
S: 503 5.5.1 need MAIL
E: message-rejected 550 5.7.1 permanent "sender refused"
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: no recipient accepted before body_end(): the body is dropped, then the outcome") {
    const std::string t = kChunkingReady + kEnvelope + R"T(
S: 250 ok
S: 550 5.1.1 no such user
E: recipient 550 5.1.1 #0 b@example.net
A: body hello
A: body-end
C: RSET
S: 250 flushed
E: message-rejected permanent "no recipient was accepted"
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: connection lost after BDAT LAST was handed out: unknown (RFC 5321 §6.1)") {
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body hello
A: body-end
C: BDAT 7 LAST
C: hello
S: 250 ok
S: 250 ok
E: recipient 250 #0 b@example.net
A: close
E: message-unknown "connection lost"
E: error [connection-lost] "connection lost"
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: connection lost before BDAT LAST: rejected, temporary (a chunk alone delivers nothing)") {
    const std::string t = kChunkingReady + kEnvelope + "A: body " + lines64('a', 17) + R"T(
C: BDAT 1024
)T" + expected_lines64('a', 16) + R"T(S: 250 ok
S: 250 ok
S: 250 ok
E: recipient 250 #0 b@example.net
A: close
E: message-rejected temporary "connection lost"
E: error [connection-lost] "connection lost"
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: 421 in place of the BDAT LAST reply: rejected, temporary") {
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body hello
A: body-end
C: BDAT 7 LAST
C: hello
S: 250 ok
S: 250 ok
S: 421 4.3.2 shutting down
E: recipient 250 #0 b@example.net
E: message-rejected 421 4.3.2 temporary "shutting down"
E: closed 421 4.3.2 "shutting down"
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT without PIPELINING: lock-step, each BDAT waits for its reply") {
    const std::string t = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250 CHUNKING
E: ready
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
S: 250 ok
C: RCPT TO:<b@example.net>
S: 250 ok
E: recipient 250 #0 b@example.net
E: body-wanted
A: body hello
A: body-end
C: BDAT 7 LAST
C: hello
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("chunking Always: submit() is refused when the server does not offer CHUNKING") {
    Config c = plain_config();
    c.chunking = ChunkingPolicy::Always;
    const std::string t = smtpcore::test::kPipeliningReady + R"T(
A: submit a@example.org b@example.net
R: unsupported "server does not offer CHUNKING and chunking is Always (RFC 3030)" at MAIL FROM
)T";
    CHECK(check_transcript(c, t) == "");
}

TEST_CASE("chunking Never: DATA although CHUNKING is offered") {
    Config c = plain_config();
    c.chunking = ChunkingPolicy::Never;
    const std::string t = kChunkingReady + R"T(
A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b@example.net>
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 b@example.net
E: body-wanted 354
A: body .dot
A: body-end
C: ..dot
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(c, t) == "");
}

TEST_CASE("BINARYMIME: BODY=BINARYMIME, the content verbatim (bare LF, a line over 998 octets)") {
    // RFC 3030 §3: a binary body keeps its octets; no CRLF repair, no line limit.
    const std::string long_line(1200, 'x');
    const std::string t = kChunkingReady + R"T(
A: submit-binary a@example.org b@example.net
E: body-wanted
C: MAIL FROM:<a@example.org> BODY=BINARYMIME
C: RCPT TO:<b@example.net>
A: body bare\nlf\x00nul)T" + long_line + R"T(
A: body-end
S: 250 ok
S: 250 ok
S: 250 ok
S: 250 queued
)T";
    // The chunks: 1024 octets, then the rest (11 + 1200 - 1024 = 187) with LAST.
    const auto r = smtpcore::test::run_transcript(plain_config(), t);
    const std::string content = "bare\nlf" + std::string(1, '\0') + "nul" + long_line;
    CHECK(r.wire.find("BDAT 1024\r\n" + content.substr(0, 1024) + "BDAT 187 LAST\r\n" + content.substr(1024)) !=
          std::string::npos);
    CHECK(r.engine_allocations == 0);
    CHECK(std::count(r.log.begin(), r.log.end(), "E: ready") == 2);  // after EHLO, after the message
    CHECK(std::count(r.log.begin(), r.log.end(), "E: message-accepted 250") == 1);
}

TEST_CASE("BINARYMIME is refused unless offered and sent with BDAT") {
    Config never = plain_config();
    never.chunking = ChunkingPolicy::Never;
    const std::string refused = R"T(
A: submit-binary a@example.org b@example.net
R: unsupported "BODY=BINARYMIME needs BDAT and a server that offers BINARYMIME (RFC 3030 §3)" at MAIL FROM
)T";
    CHECK(check_transcript(never, kChunkingReady + refused) == "");
    const std::string no_binarymime = R"T(
S: 220 mx ESMTP
E: greeting 220
C: EHLO client.example
S: 250-mx
S: 250-PIPELINING
S: 250 CHUNKING
E: ready
)T";
    CHECK(check_transcript(plain_config(), no_binarymime + refused) == "");
}

TEST_CASE("BDAT without BINARYMIME: a line over 998 octets is still refused") {
    const std::string t = kChunkingReady + kEnvelope + "A: body " + std::string(999, 'x') + R"T(
R: invalid-input "body line longer than 998 octets (RFC 5321 §4.5.3.1.6)" at body
E: message-rejected permanent "body line longer than 998 octets (RFC 5321 §4.5.3.1.6)"
E: error [invalid-input] "body line longer than 998 octets (RFC 5321 §4.5.3.1.6)"
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: 421 to MAIL while BDAT LAST is in flight: rejected, temporary, never the final reply") {
    // The server closes without reading BDAT LAST: the message was not taken.
    const std::string t = kChunkingReady + kEnvelope + R"T(
A: body hello
A: body-end
C: BDAT 7 LAST
C: hello
S: 421 4.3.2 shutting down
E: message-rejected temporary "server is closing the connection (421)"
E: closed 421 4.3.2 "shutting down"
)T";
    CHECK(check_transcript(plain_config(), t) == "");
}

TEST_CASE("BDAT: every chunk is a record in the queue of outstanding commands; a full queue holds BDAT LAST back") {
    // Room for 3 lines: MAIL, RCPT and the first chunk fill it; BDAT LAST
    // waits until a reply pops a record (Limits::commands_in_flight).
    Config c = plain_config();
    c.limits.commands_in_flight = 3;
    const std::string t = kChunkingReady + kEnvelope + "A: body " + lines64('a', 16) + "\nC: BDAT 1024\n" +
                          expected_lines64('a', 16) + R"T(A: body-end
S: 250 ok
C: BDAT 0 LAST
S: 250 ok
E: recipient 250 #0 b@example.net
S: 250 ok
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(c, t) == "");
}

TEST_CASE("BDAT: a chunk written but not handed out when the failure arrives never goes out (RFC 3030 §2)") {
    std::vector<char> storage(2048);
    Client c(plain_config(), MutableBytes(storage.data(), storage.size()));
    auto pump = [&] {
        for (Event e = c.next_event(); e.type != EventType::None; e = c.next_event()) {
        }
    };
    auto written = [&] {
        const Bytes out = c.send_buf();
        const std::string s(out.data(), out.size());
        c.send_ack(out.size());
        return s;
    };
    c.feed("220 mx\r\n");
    pump();
    written();
    c.feed("250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
    pump();
    const std::string_view to[] = {"b@example.net"};
    Envelope env;
    env.from = "a@example.org";
    env.recipients = Span<const std::string_view>(to, 1);
    REQUIRE(!c.submit(env));
    pump();
    CHECK(written() == "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n");
    // 1100 octets: a full 1024-octet chunk is closed, not handed out yet.
    std::string body;
    for (int i = 0; i < 11; ++i) body += std::string(98, 'x') + "\r\n";
    std::size_t done = 0;
    while (done < body.size()) {
        const MutableBytes w = c.body_buf();
        REQUIRE(!w.empty());
        const std::size_t n = std::min(w.size(), body.size() - done);
        std::memcpy(w.data(), body.data() + done, n);
        REQUIRE(!c.body_ack(n));
        done += n;
    }
    c.feed("550 5.7.1 sender refused\r\n503 5.5.1 need MAIL\r\n");
    pump();
    CHECK(c.send_buf().empty());  // the closed chunk was dropped with its record
    REQUIRE(!c.body_end());
    std::vector<std::string> events;
    for (Event e = c.next_event(); e.type != EventType::None; e = c.next_event()) events.push_back(to_string(e.type));
    CHECK(events == std::vector<std::string>{"message-rejected", "ready"});
    CHECK(c.send_buf().empty());  // MAIL was refused: nothing to RSET
}
