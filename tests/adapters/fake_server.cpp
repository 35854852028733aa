#include "fake_server.hpp"

#include <algorithm>
#include <cstring>

namespace smtpcore::test {

void FakeServer::from_client(const std::string& bytes) {
    received += bytes;
    partial_ += bytes;
    for (std::size_t eol; (eol = partial_.find("\r\n")) != std::string::npos;) {
        const std::string l = partial_.substr(0, eol);
        partial_.erase(0, eol + 2);
        line(l);
    }
    if (handshaking && partial_ == "CLIENTHELLO") {  // not a line: the fake handshake
        partial_.clear();
        to_client += "SERVERHELLO";
        handshaking = false;
        tls = true;
    }
}

void FakeServer::line(const std::string& l) {
    if (in_data_) {
        if (l == ".") {
            in_data_ = false;
            bodies.push_back(body_);
            if (close_at_end_of_data) closed = true;
            else to_client += "250 2.0.0 queued\r\n";
        } else {
            body_ += l + "\r\n";
        }
        return;
    }
    const std::string verb = l.substr(0, 4);
    if (verb == "EHLO") {
        to_client += "250-fake.example\r\n250-PIPELINING\r\n";
        if (tls && !auth_after_tls.empty()) to_client += "250-AUTH " + auth_after_tls + "\r\n";
        to_client += offer_starttls && !tls ? "250-STARTTLS\r\n250 8BITMIME\r\n" : "250 8BITMIME\r\n";
    } else if (verb == "STAR") {
        to_client += "220 2.0.0 go\r\n" + inject_after_starttls;
        handshaking = true;
        if (drop_in_handshake != Drop::None) {
            closed = true;
            reset = drop_in_handshake == Drop::Rst;
        }
    } else if (verb == "DATA") {
        to_client += "354 go\r\n";
        in_data_ = true;
        body_.clear();
    } else if (verb == "QUIT") {
        if (reset_on_quit) closed = reset = true;
        else if (quit_reply.empty()) closed = true;  // FIN instead of a reply
        else to_client += quit_reply;
    } else {
        to_client += "250 ok\r\n";
    }
}

adapters::IoResult FakeTransport::read(MutableBytes out) noexcept {
    if ((stall_read_ = !stall_read_)) return {0, adapters::IoStatus::WouldBlock};
    if (server_.reset) return {0, adapters::IoStatus::Failed};
    if (server_.to_client.empty())
        return {0, server_.closed ? adapters::IoStatus::Eof : adapters::IoStatus::WouldBlock};
    out[0] = server_.to_client[0];
    server_.to_client.erase(0, 1);
    return {1, adapters::IoStatus::Ok};
}

adapters::IoResult FakeTransport::write(Bytes data) noexcept {
    if ((stall_write_ = !stall_write_)) return {0, adapters::IoStatus::WouldBlock};
    // Like TCP: after the server's FIN writes still succeed (and go
    // nowhere); after a reset they fail.
    if (server_.reset) return {0, adapters::IoStatus::Failed};
    if (!server_.closed) server_.from_client(std::string(data.data(), 1));
    return {1, adapters::IoStatus::Ok};
}

adapters::HandshakeStatus FakeTls::handshake() {
    if (!hello_sent_) {
        out_ += "CLIENTHELLO";
        hello_sent_ = true;
    }
    const auto hello = in_.find("SERVERHELLO");
    if (hello == std::string::npos) return adapters::HandshakeStatus::InProgress;
    swallowed = in_.substr(0, hello);
    in_.erase(0, hello + 11);
    done_ = true;
    return adapters::HandshakeStatus::Done;
}

std::size_t FakeTls::take_cipher(MutableBytes out) {
    const std::size_t n = std::min(out.size(), out_.size());
    std::memcpy(out.data(), out_.data(), n);
    out_.erase(0, n);
    return n;
}

adapters::IoResult FakeTls::read(MutableBytes out) {
    if (in_.empty() && eof_) return {0, fail_on_eof ? adapters::IoStatus::Failed : adapters::IoStatus::Eof};
    if (in_.empty()) return {0, adapters::IoStatus::WouldBlock};
    const std::size_t n = std::min(out.size(), in_.size());
    std::memcpy(out.data(), in_.data(), n);
    in_.erase(0, n);
    return {n, adapters::IoStatus::Ok};
}

adapters::IoResult FakeTls::write(Bytes data) {
    out_.append(data.data(), data.size());
    return {data.size(), adapters::IoStatus::Ok};
}

}  // namespace smtpcore::test
