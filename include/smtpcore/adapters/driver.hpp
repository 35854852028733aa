// smtpcore adapters — the one loop that runs the engine over a transport.
//
// The Driver is the host loop documented at the top of smtpcore/client.hpp,
// written once for every adapter: it moves bytes between a Transport (and a
// TlsBackend when TLS is on) and the engine's windows, answers StartTls with a
// handshake, glues body sources to body_buf(), and hands every event to the
// application. It holds no protocol knowledge: what to send and when is the
// engine's business.
//
// Non-blocking use, from your own poll/epoll loop:
//     Driver d(client, std::move(socket), std::move(tls), hooks);
//     while (!d.finished()) {
//         d.step(monotonic_ms());
//         Interest i = d.interest();       // what to wait for on d.handle()
//         wait until readable/writable as asked, or until d.wake_at()
//     }
// Blocking use: run_blocking(d) (blocking.hpp) is that loop with poll().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "smtpcore/adapters/tls.hpp"
#include "smtpcore/adapters/transport.hpp"
#include "smtpcore/body_source.hpp"
#include "smtpcore/client.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

/// The next message for the session: the envelope and the body producer.
/// Both must stay valid until the message's outcome event.
struct Outgoing {
    Envelope envelope;
    BodySource body;
};

enum class Direction : std::uint8_t { Sent, Received };

struct DriverHooks {
    /// Every engine event, as it comes (views valid during the call only).
    std::function<void(const Event&)> on_event;
    /// Asked whenever the engine can take a message: when it is Ready, and as
    /// soon as the body of the message in flight has ended (submitted ahead,
    /// its envelope shares the previous body's flight: one round trip per
    /// message with PIPELINING), so the previous outcome may still be
    /// pending. Fill `next` and return true to send another message, false
    /// to end the session with QUIT once the messages in flight are done.
    std::function<bool(const Client&, Outgoing& next)> next_message;
    /// Plaintext bytes as they cross the wire (after TLS decryption): for
    /// transcripts. Credentials pass through here: mask them before showing.
    std::function<void(Direction, Bytes)> on_wire;
    /// Body octets handed to the engine so far for the current message.
    std::function<void(std::uint64_t)> on_body_progress;
    /// The TLS handshake finished (description of protocol and cipher).
    std::function<void(const std::string&)> on_tls;
};

struct Interest {
    bool read = false;
    bool write = false;
};

/// Why the session ended on the adapter's side while it was still running
/// (the engine's reasons are in client.last_error()). A failure after QUIT
/// went out is never one of these: every message's outcome is final by then,
/// so it is only a close_problem().
enum class TransportFailure : std::uint8_t {
    None,
    Io,         ///< the socket failed or closed, or the connection dropped during the TLS handshake
    Tls,        ///< the handshake or a record failed: certificate, protocol, alert
    NoTls,      ///< the engine asked for TLS but no TlsBackend was given
};

class Driver {
public:
    /// `tls` may be null for plaintext sessions; it is needed when the Config
    /// asks for STARTTLS or implicit TLS. The client must outlive the Driver.
    Driver(Client& client, std::unique_ptr<Transport> transport, std::unique_ptr<TlsBackend> tls,
           DriverHooks hooks);

    /// Does every bit of work possible without blocking, at time `now`.
    void step(Millis now);
    /// The session is over (Closed or Failed) and the connection closed:
    /// output flushed as far as possible and, over TLS, the close sequence
    /// done (docs/adapters.md "Closing").
    bool finished() const noexcept { return finished_; }

    /// What to wait for on handle() before calling step() again.
    Interest interest() const noexcept;
    /// When to call step() even if handle() stays quiet (kNever: no need).
    Millis wake_at() const noexcept;
    int handle() const noexcept { return transport_->handle(); }

    TransportFailure transport_failure() const noexcept { return failure_; }
    /// People-readable cause of transport_failure().
    const std::string& transport_error() const noexcept { return failure_text_; }
    /// QUIT went out: from then on nothing can change a message's outcome.
    bool quit_sent() const noexcept { return quit_sent_; }
    /// Empty if the session ended cleanly; otherwise what went wrong after
    /// QUIT (no 221, a reset, a malformed reply, TLS without close_notify
    /// before the 221). For people, at most a warning: the messages' outcomes
    /// stand.
    const std::string& close_problem() const noexcept { return close_problem_; }
    /// The host's own wait failed (poll(2) error, ...): ends the session now
    /// as a transport failure, so the engine reports the message in flight
    /// (unknown if its end of data went out) instead of the loop giving up
    /// silently.
    void abandon(const std::string& why);
    Client& client() noexcept { return client_; }

private:
    void handle_events();
    void submit_next();
    void submit_ahead();
    bool submit(Outgoing& next);
    bool pump_handshake();
    bool flush_output();
    bool flush_cipher();
    bool fill_body();
    bool read_input();
    IoResult read_plain(MutableBytes out);
    IoResult write_plain(Bytes data);
    void begin_tls();
    void transport_lost(TransportFailure why, std::string text);
    void begin_close();
    bool pump_close();
    void end_close();

    Client& client_;
    std::unique_ptr<Transport> transport_;
    std::unique_ptr<TlsBackend> tls_;
    DriverHooks hooks_;

    bool tls_on_ = false;       // records flow through tls_
    bool tls_up_ = false;       // the handshake completed
    bool handshaking_ = false;  // the engine waits for tls_established()
    bool in_body_ = false;      // between BodyWanted and body_end()/body_fail()
    bool body_pending_ = false; // the source said Pending: poll it again soon
    bool eof_ = false;
    bool finished_ = false;
    bool quit_sent_ = false;    // the engine reached Quit: outcomes are final
    bool closing_ = false;      // the close sequence runs (begin_close)
    bool got_221_ = false;      // the server answered QUIT
    Millis close_deadline_ = kNever;
    std::size_t close_read_ = 0;  // ciphertext read while waiting for close_notify
    std::string close_problem_;
    Outgoing current_;
    struct Ahead {
        std::uint32_t number;  // its Event::message
        Outgoing message;
    };
    // Submitted ahead, oldest first; each becomes current_ at its BodyWanted
    // (several with Limits::messages_in_flight > 1).
    std::deque<Ahead> ahead_;
    std::uint32_t submitted_ = 0;     // messages the engine took (its Event::message numbers)
    std::uint32_t body_number_ = 0;   // the message whose body is (or was last) wanted
    std::uint64_t body_bytes_ = 0;
    std::string cipher_out_;    // ciphertext taken from tls_, not yet written
    std::size_t cipher_sent_ = 0;
    Millis now_ = 0;
    TransportFailure failure_ = TransportFailure::None;
    std::string failure_text_;
};

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
