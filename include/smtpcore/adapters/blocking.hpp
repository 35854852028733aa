// smtpcore adapters — the blocking loop and the one-call "send this mail" API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "smtpcore/adapters/driver.hpp"
#include "smtpcore/dns/types.hpp"
#include "smtpcore/mime/message.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

/// Runs the Driver to the end with poll(2), honouring the engine's deadline().
void run_blocking(Driver& driver);

/// Who turns the server's host name into addresses (docs/dns.md).
enum class NameResolver : std::uint8_t {
    System,   ///< the operating system's (getaddrinfo)
    Builtin,  ///< smtpcore's own (lib/dns): AAAA and A in parallel, RFC 8305 order
};

struct SendOptions {
    TlsMode tls = TlsMode::StartTlsRequired;  ///< never falls back to plaintext
    bool verify = true;                       ///< certificate chain and host name
    std::string ca_file;                      ///< extra trusted CAs (PEM)
    bool ca_file_only = false;                ///< trust ca_file alone, not the system store
    std::string username;                     ///< empty: no AUTH
    std::string password;
    AuthChoice auth = AuthChoice::Auto;
    /// An OAuth 2.0 access token: XOAUTH2 / OAUTHBEARER (then `password` may be empty).
    std::string oauth_token;
    bool allow_plaintext_auth = false;
    ChunkingPolicy chunking = ChunkingPolicy::Auto;  ///< BDAT when offered (RFC 3030), or never, or always
    /// LMTP (RFC 2033) to a mail store, only when asked; RecipientReport::delivery_code then has each fate.
    Protocol protocol = Protocol::Smtp;
    /// Limits::messages_in_flight: with BDAT and PIPELINING offered, up to
    /// this many messages' content goes out before the first is answered
    /// (docs/architecture.md, "Several messages in flight"); 1: one at a time.
    /// 8 holds eight one-recipient messages (24 queued lines) in one flight
    /// for 455 bytes of storage; a lost connection then leaves up to 8
    /// messages unknown instead of 1.
    std::uint8_t messages_in_flight = 8;
    std::string client_name = "localhost";    ///< EHLO argument
    Timeouts timeouts;                        ///< per phase, RFC 5321 §4.5.3.2
    Millis connect_timeout = 30000;           ///< per address tried
    std::string default_port = "587";         ///< when `server` names no port (RFC 6409)
    TlsLibrary tls_library = default_tls_library;  ///< which compiled-in backend (tls.hpp)
    NameResolver resolver = NameResolver::System;   ///< getaddrinfo, or the builtin resolver
    /// The builtin resolver's servers, in order; empty: those of /etc/resolv.conf.
    std::vector<dns::Endpoint> nameservers;
    /// DSN request for the message (RFC 3461; envelope.hpp), borrowed for the
    /// call; nullptr: none. MessageReport::dsn_dropped says whether it went out.
    const DsnRequest* dsn = nullptr;
    /// REQUIRETLS (RFC 8689): refused before MAIL unless TLS is up and offered.
    bool require_tls = false;
};

/// What happened to one recipient.
struct RecipientReport {
    std::string address;
    std::uint16_t code = 0;  ///< 0: never answered (the session ended first)
    std::string text;
    /// LMTP (RFC 2033 §4.2): this recipient's reply after the end of data
    /// (Event RecipientOutcome); 0 under SMTP, for a recipient refused at
    /// RCPT, or when the session ended before its reply (it may have it).
    std::uint16_t delivery_code = 0;
    std::string delivery_text{};

    /// The server took the message for this recipient (RCPT, and under LMTP its own reply too).
    bool took() const { return is_positive(code) && (delivery_code == 0 || is_positive(delivery_code)); }
};

/// What happened to one message. `outcome` is MessageAccepted, MessageRejected
/// or MessageUnknown (the connection died after end of data: it may have been
/// delivered), or None if the session failed before the message started.
struct MessageReport {
    EventType outcome = EventType::None;
    std::uint16_t code = 0;
    bool temporary = false;
    bool dsn_dropped = false;  ///< DSN was asked, the server lacks it: sent without (Event::dsn_dropped)
    std::string text;
    std::vector<RecipientReport> recipients;

    /// Accepted, and every recipient accepted too.
    bool delivered() const;
};

struct SendResult {
    std::vector<MessageReport> messages;
    Error error;                        ///< the engine's fatal error before QUIT, if any
    TransportFailure transport = TransportFailure::None;
    /// What happened, for people, in the server's words where it had any
    /// (code and text; the enhanced code is in the events, not here):
    /// "250 queued as 4F2A", "authentication failed (auth): 535 bad
    /// credentials", or the connection's error.
    std::string detail;
    /// The session ended untidily after QUIT (Driver::close_problem()):
    /// worth a warning, never a reason to resend.
    std::string close_problem;

    bool delivered() const { return !messages.empty() && messages.back().delivered(); }
};

/// Folds engine events into MessageReports: shared by send_mail() and
/// smtpcore-send so both tell the same story.
class ReportBuilder {
public:
    void on_event(const Event& ev);
    /// Starts the report of a message just submitted.
    void begin(const Envelope& envelope);
    std::vector<MessageReport>& messages() { return messages_; }
    const Error& error() const { return error_; }
    /// The session's last server text (a refused greeting, a 421).
    const std::string& last_text() const { return last_text_; }
    std::uint16_t last_code() const { return last_code_; }

private:
    MessageReport* report_for(const Event& ev);
    std::vector<MessageReport> messages_;
    Error error_;
    std::string last_text_;
    std::uint16_t last_code_ = 0;
};

/// Connects to `server` ("host:port"), composes `message` with the MIME
/// writer, sends it to its To and Cc mailboxes plus `bcc`, and quits.
/// A message without `date` gets the host's local time, one without any
/// Message-ID a random one at the From address's domain (RFC 5322 §3.6).
/// Never throws: connection, TLS and composition failures are in the result.
SendResult send_mail(const std::string& server, const mime::Message& message, const SendOptions& options,
                     const std::vector<std::string>& bcc = {});

/// The same with a ready-made body (an RFC 5322 message, any line endings)
/// and an explicit envelope.
SendResult send_mail(const std::string& server, const std::string& from, const std::vector<std::string>& recipients,
                     BodySource body, const SendOptions& options);

/// The connection send_mail() makes, for callers that drive it themselves:
/// TCP connected, TLS backend ready if options.tls needs one. The host name
/// is resolved by options.resolver: getaddrinfo, or the builtin resolver over
/// options.nameservers (AAAA and A asked in parallel, then the same RFC 8305
/// staggered attempts; docs/dns.md). Throws
/// std::runtime_error with a people-readable reason.
struct Connection {
    std::unique_ptr<Transport> transport;
    std::unique_ptr<TlsBackend> tls;
};
Connection open_connection(const std::string& server, const SendOptions& options);

/// The TLS settings `options` asks for when connecting to `host` (verify,
/// ca_file, ca_file_only): one place, so every caller that builds its own
/// connection trusts exactly what send_mail() would.
TlsOptions tls_options_for(const std::string& host, const SendOptions& options);

/// The engine Config that matches `options` (views into `options`).
Config make_config(const SendOptions& options);

/// The AuthOptions that match `options` (views into `options` and `random`):
/// its token, and fresh octets from the system's CSPRNG written to `random`
/// for the SCRAM nonce (none on Windows, where SCRAM is then not chosen).
AuthOptions make_auth_options(const SendOptions& options, std::string& random);

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
