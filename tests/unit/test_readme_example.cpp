// The README's "drive the engine yourself" example, compiled and run against
// a scripted server so the documentation cannot drift from the code.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "smtpcore/body_source.hpp"
#include "smtpcore/client.hpp"

using namespace smtpcore;

namespace {

// A tiny in-memory SMTP server: answers whole lines, swallows DATA content.
// mail_reply and data_end_reply let a test make it refuse the message.
struct FakeServer {
    std::string to_client = "220 mx.example ESMTP\r\n";
    std::string received;  // every byte the client sent
    std::string pending;
    std::string mail_reply = "250 ok\r\n";
    std::string data_end_reply = "250 2.0.0 queued\r\n";
    bool in_data = false;
    bool tls = false;
    int mail_commands = 0;
    int null_reads = 0;  // read() into a window without storage (memcpy to null is undefined)

    void from_client(const char* p, std::size_t n) {
        received.append(p, n);
        pending.append(p, n);
        for (std::size_t eol; (eol = pending.find("\r\n")) != std::string::npos;) {
            const std::string line = pending.substr(0, eol);
            pending.erase(0, eol + 2);
            if (in_data) {
                if (line == ".") {
                    in_data = false;
                    to_client += data_end_reply;
                }
                continue;
            }
            if (line.rfind("EHLO", 0) == 0)
                to_client += tls ? "250-mx.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n"
                                 : "250-mx.example\r\n250 STARTTLS\r\n";
            else if (line == "STARTTLS") to_client += "220 ready\r\n";
            else if (line.rfind("AUTH PLAIN ", 0) == 0) to_client += "235 ok\r\n";
            else if (line.rfind("MAIL", 0) == 0) {
                // A loop that resubmits after a refusal would never end.
                if (++mail_commands > 3) throw std::runtime_error("the client keeps resubmitting");
                to_client += mail_reply;
            }
            else if (line.rfind("RCPT", 0) == 0) to_client += "250 ok\r\n";
            else if (line == "DATA") {
                if (mail_reply.rfind("250", 0) == 0) { to_client += "354 go\r\n"; in_data = true; }
                else to_client += "503 5.5.1 no valid recipients\r\n";
            }
            else if (line == "QUIT") to_client += "221 bye\r\n";
            else to_client += "500 what?\r\n";
        }
    }
    std::size_t write(const char* p, std::size_t n) { from_client(p, n); return n; }
    std::size_t read(char* p, std::size_t cap) {
        if (p == nullptr) ++null_reads;
        const std::size_t n = std::min(cap, to_client.size());
        if (n > 0) std::memcpy(p, to_client.data(), n);
        to_client.erase(0, n);
        return n;
    }
};

struct Outcome {
    bool sent = false;
    bool ok = false;
    bool closed = false;
};

Outcome run_readme_example(FakeServer& sock) {
    auto tls_handshake = [&](FakeServer& s) { s.tls = true; };
    Millis now_ms = 0;

    // ---- the README example starts here ----
    Config config;                                  // STARTTLS required, RFC 5321 timeouts
    config.client_name = "device.example";
    config.username = "device";
    config.password = "secret";
    StaticClient<1024> smtp(config);                // the whole session: no heap

    const std::string_view to[] = {"support@example.com"};
    Envelope mail;
    mail.from = "device@example.com";
    mail.recipients = Span<const std::string_view>(to, 1);
    BufferSource body(as_bytes("Subject: disk almost full\r\n\r\n/var is at 97%\r\n"));
    bool submitted = false, sent = false;

    while (smtp.ok() && smtp.state() != SessionState::Closed) {
        smtp.handle_timeout(now_ms);
        for (Event e = smtp.next_event(); e.type != EventType::None; e = smtp.next_event()) {
            if (e.type == EventType::StartTls) { tls_handshake(sock); smtp.tls_established(); }
            if (e.type == EventType::Ready) {       // once to send, then after the outcome
                if (!submitted) submitted = !smtp.submit(mail);
                else smtp.quit();                   // a refusal is final for this session
            }
            if (e.type == EventType::MessageAccepted) sent = true;
            // MessageRejected (e.temporary: retry later) and MessageUnknown
            // (it may have been delivered: never resend blindly) end it too.
        }
        if (smtp.state() == SessionState::Body) {   // after 354: stream the body in
            ReadResult r = body.read(smtp.body_buf());
            smtp.body_ack(r.size);
            if (r.status == ReadStatus::End) smtp.body_end();
        }
        Bytes out = smtp.send_buf();
        if (!out.empty()) smtp.send_ack(sock.write(out.data(), out.size()));
        MutableBytes in = smtp.recv_buf();          // empty while input waits or after the end
        if (!in.empty()) smtp.recv_ack(sock.read(in.data(), in.size()));
        now_ms += 10;
    }
    // ---- the README example ends here ----
    return Outcome{sent, smtp.ok(), smtp.state() == SessionState::Closed};
}

}  // namespace

TEST_CASE("README: drive the engine over any transport") {
    FakeServer sock;
    const Outcome o = run_readme_example(sock);
    CHECK(o.sent);
    CHECK(o.ok);
    CHECK(o.closed);
    CHECK(sock.null_reads == 0);
    CHECK(sock.received.find("AUTH PLAIN ZGV2aWNlAGRldmljZQBzZWNyZXQ=") == std::string::npos);  // no authzid
    CHECK(sock.received.find("AUTH PLAIN AGRldmljZQBzZWNyZXQ=\r\n") != std::string::npos);
    CHECK(sock.received.find("/var is at 97%\r\n.\r\nQUIT\r\n") != std::string::npos);
    // STARTTLS came before the credentials.
    CHECK(sock.received.find("STARTTLS") < sock.received.find("AUTH"));
}

// Defect 10 (issue 8): the example once resubmitted after every refusal, and
// read into an empty window after the end.
static void check_refused_once(FakeServer& sock) {
    Outcome o;
    CHECK_NOTHROW(o = run_readme_example(sock));
    CHECK_FALSE(o.sent);
    CHECK(o.closed);
    CHECK(sock.mail_commands == 1);
    CHECK(sock.null_reads == 0);
}

TEST_CASE("README: a permanent refusal ends the loop after one attempt") {
    FakeServer sock;
    sock.mail_reply = "550 5.7.1 sender refused\r\n";
    check_refused_once(sock);
}

TEST_CASE("README: a temporary refusal at end of data is not retried with a spent body") {
    FakeServer sock;
    sock.data_end_reply = "451 4.3.0 try again later\r\n";
    check_refused_once(sock);
    CHECK(sock.received.find("DATA\r\n\r\n.") == std::string::npos);  // never an empty resend
}

// The README shows the loop above verbatim (less the indentation), so the
// text users copy is the code this file runs.
TEST_CASE("README: the example in README.md is the one tested here") {
    auto slurp = [](const std::string& path) {
        std::ifstream in(path);
        std::ostringstream o;
        o << in.rdbuf();
        return o.str();
    };
    const std::string root = SMTPCORE_SOURCE_DIR;
    const std::string readme = slurp(root + "/README.md");
    const std::string self = slurp(root + "/tests/unit/test_readme_example.cpp");
    const std::string begin = "    // ---- the README example starts here ----\n";
    const std::size_t a = self.find(begin);
    const std::size_t b = self.find("    // ---- the README example ends here ----");
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    std::string example;
    std::istringstream lines(self.substr(a + begin.size(), b - a - begin.size()));
    for (std::string line; std::getline(lines, line);) example += (line.rfind("    ", 0) == 0 ? line.substr(4) : line) + "\n";
    CHECK(example.find("submitted") != std::string::npos);
    CHECK(readme.find("using namespace smtpcore;\n\n" + example + "```") != std::string::npos);
}
