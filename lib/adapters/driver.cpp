// The shared host loop (smtpcore/client.hpp, "The host loop"): events first,
// then output, body, input, with TLS records in between when TLS is on.
// Nothing here knows SMTP: the engine decides, the Driver moves bytes.
#include "smtpcore/adapters/driver.hpp"

#include <algorithm>

namespace smtpcore::adapters {
namespace {
constexpr std::size_t kNetChunk = 16 * 1024;  // one TLS record's worth
constexpr Millis kPendingRetry = 10;          // poll a Pending body source this often
// How long the close sequence waits for our close_notify to leave and the
// server's to arrive after its 221: long enough for a loopback or LAN round
// trip, short enough that nobody waits on a server that never sends one.
constexpr Millis kCloseWait = 500;
// What the close sequence reads at most while it waits (a server that keeps
// talking after its 221 must not keep us in step() forever).
constexpr std::size_t kCloseReadLimit = 64 * 1024;
}  // namespace

Driver::Driver(Client& client, std::unique_ptr<Transport> transport, std::unique_ptr<TlsBackend> tls,
               DriverHooks hooks)
    : client_(client), transport_(std::move(transport)), tls_(std::move(tls)), hooks_(std::move(hooks)) {
    // Implicit TLS (RFC 8314 §3.3): the handshake comes before any SMTP byte.
    if (client_.state() == SessionState::AwaitTls) begin_tls();
}

void Driver::step(Millis now) {
    now_ = now;
    for (bool progress = true; progress && !finished_;) {
        if (closing_) {
            progress = pump_close();
            continue;
        }
        client_.handle_timeout(now);
        handle_events();
        const SessionState state = client_.state();
        // The engine enters Quit only once no message is in flight
        // (Client::quit()): from here on every outcome is final.
        if (state == SessionState::Quit) quit_sent_ = true;
        if (state == SessionState::Closed || state == SessionState::Failed) {
            begin_close();
            continue;
        }
        if (handshaking_) {
            progress = pump_handshake();
            continue;
        }
        progress = flush_output();
        progress |= fill_body();
        progress |= read_input();
    }
}

void Driver::handle_events() {
    for (;;) {
        bool ready = false;
        for (;;) {
            // Built in place by next_event() (one named result): no copy of
            // the Event into a loop variable per call.
            const Event ev = client_.next_event();
            if (ev.type == EventType::None) break;
            if (hooks_.on_event) hooks_.on_event(ev);
            switch (ev.type) {
            case EventType::StartTls:
                begin_tls();
                break;
            case EventType::BodyWanted:
                if (!ahead_.empty() && ev.message == ahead_.front().number) {  // a message submitted ahead starts
                    current_ = std::move(ahead_.front().message);
                    ahead_.pop_front();
                }
                in_body_ = true;
                body_number_ = ev.message;
                body_bytes_ = 0;
                break;
            case EventType::MessageAccepted:
            case EventType::MessageRejected:
            case EventType::MessageUnknown:
                // With several messages in flight an earlier message's
                // outcome may come while the next one's body flows.
                if (ev.message == body_number_) in_body_ = body_pending_ = false;
                break;
            case EventType::Ready:
                ready = true;
                break;
            case EventType::Closed:
                got_221_ = ev.code == 221;  // RFC 5321 §4.1.1.10: QUIT is answered with 221
                if (quit_sent_ && !got_221_ && close_problem_.empty())
                    close_problem_ = ev.code == 0 ? "the connection ended before the server answered QUIT"
                                                  : "the server answered QUIT with " + std::to_string(ev.code) +
                                                        " " + std::string(ev.text);
                break;
            case EventType::Error:
                if (quit_sent_ && close_problem_.empty())
                    close_problem_ = "after QUIT: " + std::string(ev.error.reason);
                break;
            default:
                break;
            }
        }
        // submit() wants every event pulled first (client.hpp).
        if (!ready || client_.state() != SessionState::Ready) return;
        submit_next();
    }
}

void Driver::submit_next() {
    Outgoing next;
    if (!hooks_.next_message || !hooks_.next_message(client_, next)) {
        client_.quit();
        return;
    }
    current_ = next;
    submit(current_);
}

// The body in flight has ended: offer the next message now, so that with
// PIPELINING its envelope joins this flight (RFC 2920 §3.1).
void Driver::submit_ahead() {
    if (!client_.can_submit()) return;
    Outgoing next;
    if (!hooks_.next_message || !hooks_.next_message(client_, next)) return;  // asked again when Ready
    ahead_.push_back(Ahead{submitted_ + 1, std::move(next)});
    if (!submit(ahead_.back().message)) ahead_.pop_back();
}

bool Driver::submit(Outgoing& next) {
    if (const Error refused = client_.submit(next.envelope)) {
        // Refused before anything was sent (a bad address): tell the
        // application like any error, then end the session politely.
        Event local;
        local.type = EventType::Error;
        local.error = refused;
        local.text = refused.reason;
        if (hooks_.on_event) hooks_.on_event(local);
        client_.quit();
        return false;
    }
    ++submitted_;
    return true;
}

void Driver::begin_tls() {
    if (!tls_) return transport_lost(TransportFailure::NoTls, "TLS is required but no TLS backend was given");
    if (!tls_->start()) return transport_lost(TransportFailure::Tls, tls_->error());
    tls_on_ = handshaking_ = true;
}

bool Driver::pump_handshake() {
    const HandshakeStatus status = tls_->handshake();
    bool progress = flush_cipher();
    if (status == HandshakeStatus::Failed) {
        transport_lost(TransportFailure::Tls, tls_->error());
        return true;
    }
    if (status == HandshakeStatus::Done) {
        handshaking_ = false;
        tls_up_ = true;
        if (hooks_.on_tls) hooks_.on_tls(tls_->description());
#if SMTPCORE_SASL_EXTENSIONS
        client_.tls_established(as_bytes(tls_->channel_binding()));  // RFC 9266, for SCRAM-SHA-256-PLUS
#else
        client_.tls_established();
#endif
        return true;
    }
    // While the handshake runs, every byte from the server goes to TLS and
    // none to the engine: plaintext sent after "220 Ready to start TLS" would
    // otherwise be read as a reply (response injection, RFC 3207 §4).
    char buf[kNetChunk];
    const IoResult r = transport_->read(MutableBytes(buf, sizeof buf));
    if (r.status == IoStatus::Ok && r.size > 0) {
        tls_->feed_cipher(Bytes(buf, r.size));
        progress = true;
    } else if (r.status == IoStatus::Eof) {
        // A close (FIN) here is what a reset (RST) is: the connection
        // dropped, typically an overloaded server; temporary, like any lost
        // connection, and not a statement about TLS (which never got to speak).
        transport_lost(TransportFailure::Io, "the server closed the connection during the TLS handshake");
        progress = true;
    } else if (r.status == IoStatus::Failed) {
        transport_lost(TransportFailure::Io, transport_->error());
        progress = true;
    }
    return progress;
}

bool Driver::flush_cipher() {
    bool progress = false;
    for (;;) {
        if (cipher_sent_ == cipher_out_.size()) {
            cipher_out_.clear();
            cipher_sent_ = 0;
            if (!tls_->cipher_pending()) break;
            char buf[kNetChunk];
            cipher_out_.assign(buf, tls_->take_cipher(MutableBytes(buf, sizeof buf)));
            if (cipher_out_.empty()) break;
        }
        const IoResult r = transport_->write(
            Bytes(cipher_out_.data() + cipher_sent_, cipher_out_.size() - cipher_sent_));
        if (r.status == IoStatus::Failed) {
            transport_lost(TransportFailure::Io, transport_->error());
            break;
        }
        if (r.status != IoStatus::Ok || r.size == 0) break;
        cipher_sent_ += r.size;
        progress = true;
    }
    return progress;
}

bool Driver::flush_output() {
    bool progress = tls_on_ && flush_cipher();
    while (client_.want_write() && !eof_) {
        // Encrypt more only once earlier records are on the wire: the memory
        // BIO would otherwise grow without bound while the socket is full.
        if (tls_on_ && cipher_sent_ < cipher_out_.size()) break;
        const Bytes out = client_.send_buf();
        const IoResult r = write_plain(out);
        if (r.status == IoStatus::Failed) {
            transport_lost(tls_on_ ? TransportFailure::Tls : TransportFailure::Io,
                           tls_on_ ? tls_->error() : transport_->error());
            return true;
        }
        if (r.status != IoStatus::Ok || r.size == 0) break;
        if (hooks_.on_wire) hooks_.on_wire(Direction::Sent, out.first(r.size));
        client_.send_ack(r.size);
        progress = true;
        if (tls_on_) flush_cipher();
    }
    return progress;
}

bool Driver::fill_body() {
    if (!in_body_) return false;
    bool progress = false;
    body_pending_ = false;
    for (;;) {
        const MutableBytes window = client_.body_buf();
        if (window.empty()) break;  // the send buffer is full: flush first
        const ReadResult r = current_.body(window);
        if (r.status == ReadStatus::Pending) {
            body_pending_ = true;
            break;
        }
        if (r.status == ReadStatus::Failed) {
            in_body_ = false;
            client_.body_fail();
            return true;
        }
        progress = true;
        if (r.size > 0) {
            if (client_.body_ack(r.size)) {  // e.g. a line over 998 octets: the engine ends the message
                in_body_ = false;
                break;
            }
            body_bytes_ += r.size;
            if (hooks_.on_body_progress) hooks_.on_body_progress(body_bytes_);
        }
        if (r.status == ReadStatus::End) {
            in_body_ = false;
            client_.body_end();
            submit_ahead();
            break;
        }
        if (r.size == 0) break;  // a source that writes nothing into a window: try again later
    }
    return progress;
}

bool Driver::read_input() {
    if (eof_ || !client_.want_read()) return false;
    const MutableBytes window = client_.recv_buf();
    if (window.empty()) return false;
    const IoResult r = read_plain(window);
    switch (r.status) {
    case IoStatus::Ok:
        if (r.size == 0) return false;
        if (hooks_.on_wire) hooks_.on_wire(Direction::Received, Bytes(window.data(), r.size));
        client_.recv_ack(r.size);
        return true;
    case IoStatus::WouldBlock:
        return false;
    case IoStatus::Eof:
        eof_ = true;
        client_.connection_closed();
        return true;
    case IoStatus::Failed:
        break;
    }
    return true;  // read_plain() reported the failure
}

IoResult Driver::read_plain(MutableBytes out) {
    if (!tls_on_) {
        const IoResult r = transport_->read(out);
        if (r.status == IoStatus::Failed) transport_lost(TransportFailure::Io, transport_->error());
        return r;
    }
    for (;;) {
        const IoResult r = tls_->read(out);
        if (r.status == IoStatus::Failed) transport_lost(TransportFailure::Tls, tls_->error());
        if (r.status != IoStatus::WouldBlock) return r;
        char buf[kNetChunk];
        const IoResult n = transport_->read(MutableBytes(buf, sizeof buf));
        if (n.status == IoStatus::Ok && n.size > 0) {
            tls_->feed_cipher(Bytes(buf, n.size));
            continue;
        }
        if (n.status == IoStatus::Eof) {
            tls_->feed_eof();
            // Buffered records first; then Eof, with or without close_notify
            // (tls.hpp: a bare end of stream is Eof, the engine decides).
            const IoResult last = tls_->read(out);
            if (last.status == IoStatus::Failed) transport_lost(TransportFailure::Tls, tls_->error());
            return last.status == IoStatus::WouldBlock ? IoResult{0, IoStatus::Eof} : last;
        }
        if (n.status == IoStatus::Failed) transport_lost(TransportFailure::Io, transport_->error());
        return n;
    }
}

IoResult Driver::write_plain(Bytes data) {
    return tls_on_ ? tls_->write(data) : transport_->write(data);
}

void Driver::abandon(const std::string& why) { transport_lost(TransportFailure::Io, why); }

void Driver::transport_lost(TransportFailure why, std::string text) {
    if (quit_sent_ || closing_) {
        // Every outcome is final (or the session already failed): this only
        // concerns the close.
        if (close_problem_.empty() && quit_sent_) close_problem_ = std::move(text);
    } else if (failure_ == TransportFailure::None) {
        failure_ = why;
        failure_text_ = std::move(text);
    }
    handshaking_ = false;
    in_body_ = false;
    eof_ = true;
    // The engine decides what the loss means for a message in flight:
    // MessageUnknown after end of data, MessageRejected before (RFC 5321 §6.1).
    client_.connection_closed();
}

// ---- the close sequence (docs/adapters.md "Closing") -----------------------

void Driver::begin_close() {
    closing_ = true;
    in_body_ = body_pending_ = false;
    flush_output();  // a polite QUIT the engine queued with its failure; best effort
    close_deadline_ = now_ + kCloseWait;
    if (!tls_up_ || eof_) return end_close();
    // RFC 8446 §6.1: close_notify before we close our side, also after a
    // failure, so the server can tell our close from a cut connection.
    if (!tls_->shutdown()) return end_close();
    flush_cipher();
}

bool Driver::pump_close() {
    bool progress = flush_cipher();
    const bool cipher_out = cipher_sent_ == cipher_out_.size() && !tls_->cipher_pending();
    if (eof_) {
        end_close();  // the write failed: nobody is listening
        return true;
    }
    // After a 221, read on for the server's close_notify (or its close), so
    // its side ends in order too; after a failure, ours leaving is enough.
    if (cipher_out && !got_221_) {
        end_close();
        return true;
    }
    char buf[kNetChunk];
    while (cipher_out && now_ < close_deadline_) {
        const IoResult r = tls_->read(MutableBytes(buf, sizeof buf));
        if (r.status == IoStatus::Ok) continue;  // bytes after the 221 mean nothing now
        if (r.status != IoStatus::WouldBlock) {  // Eof (with or without close_notify) or Failed
            end_close();
            return true;
        }
        const IoResult n = transport_->read(MutableBytes(buf, sizeof buf));
        if (n.status == IoStatus::Ok && n.size > 0) {
            tls_->feed_cipher(Bytes(buf, n.size));
            progress = true;
            if ((close_read_ += n.size) > kCloseReadLimit) {
                end_close();
                return true;
            }
        } else if (n.status == IoStatus::Eof) {
            tls_->feed_eof();
        } else if (n.status == IoStatus::Failed) {
            end_close();
            return true;
        } else {
            break;  // WouldBlock: wait for the server
        }
    }
    if (now_ >= close_deadline_) {
        end_close();
        return true;
    }
    return progress;
}

void Driver::end_close() {
    closing_ = false;
    finished_ = true;
}

Interest Driver::interest() const noexcept {
    Interest i;
    if (finished_) return i;
    const bool cipher_backlog = tls_on_ && (cipher_sent_ < cipher_out_.size() || tls_->cipher_pending());
    if (closing_) {
        i.write = cipher_backlog;
        i.read = !cipher_backlog;
        return i;
    }
    i.write = cipher_backlog || (!handshaking_ && client_.want_write());
    i.read = handshaking_ || (!eof_ && client_.want_read());
    return i;
}

Millis Driver::wake_at() const noexcept {
    if (finished_) return kNever;
    if (closing_) return close_deadline_;
    Millis wake = client_.deadline();
    if (body_pending_) wake = std::min(wake, now_ + kPendingRetry);
    if (tls_on_ && !handshaking_ && tls_->plaintext_pending()) wake = now_;
    return wake;
}

}  // namespace smtpcore::adapters
