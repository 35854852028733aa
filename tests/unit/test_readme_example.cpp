// The README's "drive the engine yourself" example, compiled and run against
// a scripted server so the documentation cannot drift from the code.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "smtpcore/body_source.hpp"
#include "smtpcore/client.hpp"

using namespace smtpcore;

namespace {

// A tiny in-memory SMTP server: answers whole lines, swallows DATA content.
struct FakeServer {
    std::string to_client = "220 mx.example ESMTP\r\n";
    std::string received;  // every byte the client sent
    std::string pending;
    bool in_data = false;
    bool tls = false;

    void from_client(const char* p, std::size_t n) {
        received.append(p, n);
        pending.append(p, n);
        for (std::size_t eol; (eol = pending.find("\r\n")) != std::string::npos;) {
            const std::string line = pending.substr(0, eol);
            pending.erase(0, eol + 2);
            if (in_data) {
                if (line == ".") {
                    in_data = false;
                    to_client += "250 2.0.0 queued\r\n";
                }
                continue;
            }
            if (line.rfind("EHLO", 0) == 0)
                to_client += tls ? "250-mx.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n"
                                 : "250-mx.example\r\n250 STARTTLS\r\n";
            else if (line == "STARTTLS") to_client += "220 ready\r\n";
            else if (line.rfind("AUTH PLAIN ", 0) == 0) to_client += "235 ok\r\n";
            else if (line.rfind("MAIL", 0) == 0 || line.rfind("RCPT", 0) == 0) to_client += "250 ok\r\n";
            else if (line == "DATA") { to_client += "354 go\r\n"; in_data = true; }
            else if (line == "QUIT") to_client += "221 bye\r\n";
            else to_client += "500 what?\r\n";
        }
    }
    std::size_t write(const char* p, std::size_t n) { from_client(p, n); return n; }
    std::size_t read(char* p, std::size_t cap) {
        const std::size_t n = std::min(cap, to_client.size());
        std::memcpy(p, to_client.data(), n);
        to_client.erase(0, n);
        return n;
    }
};

}  // namespace

TEST_CASE("README: drive the engine over any transport") {
    FakeServer sock;
    auto tls_handshake = [&](FakeServer& s) { s.tls = true; };
    Millis now_ms = 0;
    bool sent = false;

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

    while (smtp.ok() && smtp.state() != SessionState::Closed) {
        smtp.handle_timeout(now_ms);
        for (Event e = smtp.next_event(); e.type != EventType::None; e = smtp.next_event()) {
            if (e.type == EventType::StartTls) { tls_handshake(sock); smtp.tls_established(); }
            if (e.type == EventType::Ready) { if (sent) smtp.quit(); else smtp.submit(mail); }
            if (e.type == EventType::MessageAccepted) sent = true;
        }
        if (smtp.state() == SessionState::Body) {   // after 354: stream the body in
            ReadResult r = body.read(smtp.body_buf());
            smtp.body_ack(r.size);
            if (r.status == ReadStatus::End) smtp.body_end();
        }
        Bytes out = smtp.send_buf();
        if (!out.empty()) smtp.send_ack(sock.write(out.data(), out.size()));
        MutableBytes in = smtp.recv_buf();
        smtp.recv_ack(sock.read(in.data(), in.size()));
        now_ms += 10;
    }
    // ---- the README example ends here ----

    CHECK(sent);
    CHECK(smtp.ok());
    CHECK(smtp.state() == SessionState::Closed);
    CHECK(sock.received.find("AUTH PLAIN ZGV2aWNlAGRldmljZQBzZWNyZXQ=") == std::string::npos);  // no authzid
    CHECK(sock.received.find("AUTH PLAIN AGRldmljZQBzZWNyZXQ=\r\n") != std::string::npos);
    CHECK(sock.received.find("/var is at 97%\r\n.\r\nQUIT\r\n") != std::string::npos);
    // STARTTLS came before the credentials.
    CHECK(sock.received.find("STARTTLS") < sock.received.find("AUTH"));
}
