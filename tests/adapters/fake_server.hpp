// An in-memory SMTP server behind a Transport that moves one byte at a time
// and says WouldBlock every other call: the Driver must cope with any
// split and any stall. Plus a stand-in TLS backend whose "handshake" is a
// fixed exchange, so STARTTLS routing can be checked without OpenSSL.
#pragma once

#include <string>
#include <vector>

#include "smtpcore/adapters/tls.hpp"
#include "smtpcore/adapters/transport.hpp"

namespace smtpcore::test {

struct FakeServer {
    bool offer_starttls = false;
    bool close_at_end_of_data = false;  // drop the connection instead of answering "."
    std::string inject_after_starttls;  // plaintext sent after "220 go", before the handshake
    std::string auth_after_tls;         // non-empty: "250-AUTH <this>" in the EHLO reply after TLS
    std::string quit_reply = "221 bye\r\n";  // empty: close (FIN) instead
    bool reset_on_quit = false;         // a TCP reset instead of the reply to QUIT
    enum class Drop { None, Fin, Rst };
    Drop drop_in_handshake = Drop::None;  // after "220 go" to STARTTLS

    std::string to_client = "220 fake.example ESMTP\r\n";
    std::string received;            // everything the client sent (plaintext)
    std::vector<std::string> bodies; // each message's content, as on the wire (stuffed)
    bool closed = false;
    bool reset = false;              // closed with RST: reads and writes fail
    bool tls = false;                // handshake done: bytes are "encrypted" (identity here)
    bool handshaking = false;

    void from_client(const std::string& bytes);

private:
    void line(const std::string& l);
    std::string partial_;
    bool in_data_ = false;
    std::string body_;
};

/// A Transport over a FakeServer: 1 byte per call, WouldBlock every other call.
class FakeTransport final : public adapters::Transport {
public:
    explicit FakeTransport(FakeServer& server) : server_(server) {}
    adapters::IoResult read(MutableBytes out) noexcept override;
    adapters::IoResult write(Bytes data) noexcept override;
    int handle() const noexcept override { return -1; }
    const char* error() const noexcept override { return "fake"; }

private:
    FakeServer& server_;
    bool stall_read_ = false;
    bool stall_write_ = false;
};

/// "TLS" that encrypts nothing: the handshake is CLIENTHELLO / SERVERHELLO.
class FakeTls final : public adapters::TlsBackend {
public:
    bool start() override { return true; }
    adapters::HandshakeStatus handshake() override;
    void feed_cipher(Bytes data) override { in_.append(data.data(), data.size()); }
    void feed_eof() override { eof_ = true; }
    std::size_t take_cipher(MutableBytes out) override;
    bool cipher_pending() const override { return !out_.empty(); }
    adapters::IoResult read(MutableBytes out) override;
    adapters::IoResult write(Bytes data) override;
    bool plaintext_pending() const override { return done_ && !in_.empty(); }
    bool shutdown() override {
        out_ += "CLOSENOTIFY";
        ++shutdowns;
        return true;
    }
    bool close_notify_received() const override { return false; }
    std::string error() const override { return "fake tls error"; }
    std::string description() const override { return "FakeTLS"; }
    std::string channel_binding() const override { return done_ ? binding : std::string(); }

    std::string swallowed;  // what arrived during the handshake
    int shutdowns = 0;      // shutdown() calls
    bool fail_on_eof = false;  // the end of stream is a broken record (Failed), not Eof
    std::string binding;       // what channel_binding() gives once the handshake is done

private:
    std::string in_, out_;
    bool hello_sent_ = false, done_ = false, eof_ = false;
};

}  // namespace smtpcore::test
