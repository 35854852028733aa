// The queue of outstanding commands (Limits::commands_in_flight): every line
// written pushes a record, every reply pops one, and a full queue stops new
// commands until replies come back (RFC 2920 §3.1 allows any number in
// flight; the bound keeps both sides from deadlocking).
#include <doctest/doctest.h>

#include <string>

#include "smtpcore/client.hpp"
#include "commands.hpp"
#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;
using smtpcore::test::count_client_flights;
using smtpcore::test::plain_config;
using smtpcore::test::run_transcript;

namespace {

const char* const kHello =
    "S: 220 mx ESMTP\nE: greeting 220\nC: EHLO client.example\nS: 250-mx\nS: 250 PIPELINING\nE: ready\n";

// The body of a one-line message and its acceptance.
const char* const kBodyAccepted =
    "A: body hi\nA: body-end\nC: hi\nC: .\nS: 250 queued\nE: message-accepted 250\nE: ready\n";

Config bounded(std::uint8_t in_flight) {
    Config c = plain_config();
    c.limits.commands_in_flight = in_flight;
    return c;
}

}  // namespace

TEST_CASE("queue: its records count toward min_storage(), 4 bytes each") {
    CHECK(Client::kCommandRecord == 4);
    CHECK(Config{}.limits.commands_in_flight == 64);
    const Config c = bounded(3);
    CHECK(Client::min_storage(c) == 128 + 64 + 512 + 3 * 4);
    char storage[1024];
    Client short_by_one(c, MutableBytes(storage, Client::min_storage(c) - 1));
    CHECK(short_by_one.last_error().kind == ErrorKind::LimitExceeded);
    Client exact(c, MutableBytes(storage, Client::min_storage(c)));
    CHECK(exact.ok());
}

TEST_CASE("queue: a capacity of zero is refused at construction") {
    char storage[1024];
    Client c(bounded(0), MutableBytes(storage, sizeof storage));
    CHECK(c.last_error().kind == ErrorKind::Misuse);
    CHECK(c.send_buf().empty());
}

TEST_CASE("queue: when full, no new command is written until a reply pops a record") {
    // Two records: MAIL and the first RCPT fill the queue; each reply lets one more line out.
    const std::string t = std::string(kHello) + R"T(A: submit a@example.org b1@example.net b2@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<b1@example.net>
S: 250 ok
C: RCPT TO:<b2@example.net>
S: 250 ok
E: recipient 250 #0 b1@example.net
C: DATA
S: 250 ok
S: 354 go
E: recipient 250 #1 b2@example.net
E: body-wanted 354
)T" + kBodyAccepted;
    CHECK(check_transcript(bounded(2), t) == "");
    const auto r = run_transcript(bounded(2), t);
    CHECK(count_client_flights(r.log) == 5);  // EHLO; MAIL+RCPT; RCPT; DATA; body
}

TEST_CASE("queue: a lock-step capacity of 1 still runs a pipelined session") {
    const std::string t = std::string(kHello) + R"T(A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
S: 250 ok
C: RCPT TO:<b@example.net>
S: 250 ok
E: recipient 250 #0 b@example.net
C: DATA
S: 354 go
E: body-wanted 354
)T" + kBodyAccepted + "A: quit\nC: QUIT\nS: 221 bye\nE: closed 221 \"bye\"\n";
    CHECK(check_transcript(bounded(1), t) == "");
}

TEST_CASE("queue: the next message's envelope waits for room behind the end of data") {
    // Capacity 3: end of data + the next MAIL and RCPT; its DATA waits for a reply.
    const std::string t = std::string(kHello) + R"T(A: submit a@example.org b@example.net
C: MAIL FROM:<a@example.org>
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
A: submit a@example.org c@example.net
C: MAIL FROM:<a@example.org>
C: RCPT TO:<c@example.net>
S: 250 queued
E: message-accepted 250
C: DATA
S: 250 ok
S: 250 ok
S: 354 go
E: recipient 250 #0 c@example.net
E: body-wanted 354
A: body two
A: body-end
C: two
C: .
S: 250 queued
E: message-accepted 250
E: ready
)T";
    CHECK(check_transcript(bounded(3), t) == "");
}

TEST_CASE("MAIL SIZE= writes every 64-bit size (RFC 1870 §6; powers of ten built on the stack)") {
    const std::string_view rcpt[] = {"b@example.net"};
    for (const std::uint64_t size : {std::uint64_t(1), std::uint64_t(10), std::uint64_t(4294967296ull),
                                     std::uint64_t(10000000000000000000ull), ~std::uint64_t(0)}) {
        Envelope env;
        env.from = "a@example.org";
        env.recipients = Span<const std::string_view>(rcpt, 1);
        env.size_hint = size;
        char line[128];
        Capabilities caps;
        caps.extensions = static_cast<std::uint32_t>(Extension::Size);
        const std::size_t n = detail::mail_command(env, caps, line);
        CHECK(std::string(line, n) == "MAIL FROM:<a@example.org> SIZE=" + std::to_string(size) + "\r\n");
    }
}

#if !defined(SMTPCORE_SMALL_CODE)  // such builds have no bounded LineBuilder (commands.hpp)
TEST_CASE("a line built into a bounded room is written() only when all of it fitted, and measured either way") {
    const std::string_view rcpt[] = {"b@example.net"};
    Envelope env;
    env.from = "a@example.org";
    env.recipients = Span<const std::string_view>(rcpt, 1);
    const Capabilities caps;
    const std::string want = "MAIL FROM:<a@example.org>\r\n";
    for (std::size_t room = 0; room <= want.size() + 1; ++room) {
        std::string out(want.size() + 8, '#');
        detail::LineBuilder line(&out[0], room);
        detail::put_mail_command(line, env, caps);
        CHECK(line.size() == want.size());
        CHECK(line.written() == (room >= want.size()));
        if (line.written()) CHECK(out.compare(0, want.size(), want) == 0);
        CHECK(out.find_first_not_of('#', room) == std::string::npos);  // nothing past the room
    }
    detail::LineBuilder measuring(nullptr, 100);
    detail::put_mail_command(measuring, env, caps);
    CHECK(!measuring.written());
    CHECK(measuring.size() == want.size());
#ifndef SMTPCORE_NO_DSN
    // An encoder (xtext, RFC 3461 §4) cannot be told the room: it measures,
    // and the line must be written again unbounded.
    DsnRequest dsn;
    dsn.envid = "id+1";
    env.dsn = &dsn;
    Capabilities with_dsn;
    with_dsn.extensions = static_cast<std::uint32_t>(Extension::Dsn);
    char big[256];
    detail::LineBuilder bounded(big, sizeof big);
    detail::put_mail_command(bounded, env, with_dsn);
    CHECK(!bounded.written());
    CHECK(bounded.size() == detail::mail_command(env, with_dsn, nullptr));
    const std::size_t n = detail::mail_command(env, with_dsn, big);
    CHECK(std::string(big, n) == "MAIL FROM:<a@example.org> ENVID=id+2B1\r\n");
#endif
}
#endif

TEST_CASE("bdat_line_size() counts what bdat_command() writes (RFC 3030 §2)") {
    for (const std::uint32_t size : {0u, 1u, 9u, 10u, 99u, 100u, 32768u, 999999999u, 1000000000u, 4294967295u}) {
        for (const bool last : {false, true}) {
            char line[detail::kBdatLineMax];
            const std::size_t n = detail::bdat_command(size, last, line);
            CHECK(detail::bdat_line_size(size, last) == n);
            CHECK(std::string(line, n) == "BDAT " + std::to_string(size) + (last ? " LAST" : "") + "\r\n");
        }
    }
}
