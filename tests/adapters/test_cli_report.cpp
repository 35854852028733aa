// smtpcore-send's reporting pieces (tools/smtpcore-send/outcome.cpp and
// transcript.cpp), fed directly: the exit code once QUIT went out, and the
// -v transcript's escaping of what the server sends.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "file_text.hpp"
#include "options.hpp"
#include "outcome.hpp"
#include "transcript.hpp"

using namespace smtpcore;
using namespace smtpcore::cli;

namespace {

SessionSummary one_accepted_message() {
    SessionSummary s;
    adapters::MessageReport m;
    m.outcome = EventType::MessageAccepted;
    m.code = 250;
    m.text = "queued";
    m.recipients.push_back({"b@example.net", 250, "ok"});
    s.messages.push_back(m);
    return s;
}

std::string transcript_of(const std::string& bytes, adapters::Direction direction = adapters::Direction::Received) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    Transcript t(f);
    t.on_wire(direction, Bytes(bytes.data(), bytes.size()));
    return text_and_close(f);
}

}  // namespace

TEST_CASE("after QUIT the messages decide the exit code; the close is a warning (item 1)") {
    SessionSummary s = one_accepted_message();
    s.quit_sent = true;
    s.close_problem = "Connection reset by peer";
    s.transport = adapters::TransportFailure::Io;  // even if a caller still passed one
    s.transport_error = "Connection reset by peer";
    CHECK(report_and_exit_code(s, false) == kDelivered);
    s.transport = adapters::TransportFailure::Tls;
    s.error = Error{ErrorKind::PeerViolation, "malformed reply code", "quit"};
    CHECK(report_and_exit_code(s, false) == kDelivered);
    s.messages[0].outcome = EventType::MessageUnknown;  // what happened to the message still counts
    CHECK(report_and_exit_code(s, false) == kTempFail);
}

TEST_CASE("before QUIT a transport failure still decides") {
    SessionSummary s;
    s.transport = adapters::TransportFailure::Tls;
    s.transport_error = "certificate verification failed";
    CHECK(report_and_exit_code(s, false) == kProtocol);
}

TEST_CASE("the -v transcript escapes the server's control characters (item 9)") {
    const std::string out = transcript_of("220 a\x1b[2J\x1b]0;t\x07 b\rc \xc2\x9b d \xc3\xa9 \xff\r\n");
    CHECK(out == "< 220 a\\x1b[2J\\x1b]0;t\\x07 b\\x0dc \\xc2\\x9b d \xc3\xa9 \\xff\n");
    CHECK(Transcript::escape("tab\tstays") == "tab\tstays");
    CHECK(Transcript::escape("\xe2\x82\xac euro, \xf0\x9f\x93\xa7 mail") == "\xe2\x82\xac euro, \xf0\x9f\x93\xa7 mail");
    CHECK(Transcript::escape("\xe2\x82") == "\\xe2\\x82");   // cut sequence
    CHECK(Transcript::escape("\xc0\xaf") == "\\xc0\\xaf");   // overlong '/'
    CHECK(Transcript::escape("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
}

TEST_CASE("-v: BDAT chunks are counted by their size, not shown line by line (RFC 3030)") {
    const std::string sent = "MAIL FROM:<a@example.org>\r\nBDAT 12\r\nline\r\nQUIT\r\nBDAT 5 LAST\r\nend\r\nRSET\r\n";
    CHECK(transcript_of(sent, adapters::Direction::Sent) ==
          "> MAIL FROM:<a@example.org>\n> BDAT 12\n> BDAT 5 LAST\n> ... (17 octets of message in BDAT chunks)\n> RSET\n");
}
