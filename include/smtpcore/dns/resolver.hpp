// smtpcore DNS — a sans-I/O stub resolver (RFC 1035 §7, RFC 5452), shaped like the Client.
//
// The Resolver asks recursive servers the host names for the A, AAAA or MX
// records of one name and reports what it found. It owns no socket, reads no
// clock, draws no random numbers and never allocates: the host moves
// datagrams and stream bytes, hands in the time and random octets, and pulls
// events. Its memory is the object itself plus the storage span given to the
// constructor (StaticResolver<N> bundles both); docs/dns.md has the sizes.
//
// The host loop, every time it wakes up (lib/adapters/dns_driver.cpp is it):
//   1. handle_timeout(now)                       — always; idempotent
//   2. if want_random(): fill random_buf() from the OS, random_ack(n)
//   3. while ((ev = next_event()).type != None):
//        SendDatagram(server) → send send_buf() as one datagram to that server, send_ack(size)
//        OpenStream(server)   → connect TCP to it; stream_connected() (or connection_closed())
//        CloseStream          → close the TCP connection
//        Address / Mx         → a record of the answer
//        Done                 → outcome() says how it ended
//   4. over TCP: write send_buf(), send_ack(n)
//   5. read into recv_buf(): a datagram → datagram_received(source, n);
//      stream bytes → recv_ack(n); EOF or error → connection_closed()
//   6. sleep until a socket is ready or deadline()
//
// An answer is taken only when its ID, question name (octet for octet when
// 0x20 randomisation is on), type and class match the query and it came from
// the server the query went to (RFC 5452 §9.1); anything else is ignored and
// counted (ignored()). Views in events stay valid until the next call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/config.hpp"
#include "smtpcore/dns/name.hpp"
#include "smtpcore/dns/types.hpp"
#include "smtpcore/error.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::dns {

/// What the host chooses; the defaults are resolv.conf(5)'s.
struct ResolverConfig {
    Span<const Endpoint> servers;        ///< tried in order; borrowed, must outlive the Resolver
    Duration timeout = 5000;             ///< per try (resolv.conf "timeout:5")
    std::uint8_t attempts = 2;           ///< rounds over all servers (resolv.conf "attempts:2")
    std::uint16_t edns_udp_size = kDefaultEdnsSize;  ///< 0: no EDNS0 (RFC 6891)
    bool randomize_case = false;         ///< 0x20: random letter case, echoed exactly
    bool tcp_fallback = true;            ///< TC=1 → ask the same server over TCP (RFC 7766 §5)
    std::uint8_t max_cnames = 8;         ///< CNAME links followed per resolution
};

enum class ResolverState : std::uint8_t {
    Idle,        ///< nothing asked yet: start()
    NeedRandom,  ///< a query waits for random octets (want_random())
    AwaitUdp,    ///< the query went (or goes) out as a datagram; waiting for the answer
    AwaitOpen,   ///< waiting for the host to connect TCP (stream_connected())
    AwaitTcp,    ///< the query goes over TCP; waiting for the framed answer
    Reporting,   ///< an answer was taken: records are being reported
    Done,        ///< finished: outcome() and last_error(); start() again to reuse
};

/// How a resolution ended.
enum class Outcome : std::uint8_t {
    Pending,        ///< not finished
    Answer,         ///< records of the asked type were reported
    NoData,         ///< the name exists but has no record of that type (RFC 2308 §2.2)
    NxDomain,       ///< the name does not exist (RCODE 3, RFC 2308 §2.1)
    ServerFailure,  ///< every try ended in SERVFAIL, REFUSED, a malformed or too large answer
    Timeout,        ///< no server answered in time on any try
    Failed,         ///< a bound was hit (CNAME chain) or the resolution was cancelled
};

enum class DnsEventType : std::uint8_t {
    None,
    SendDatagram,  ///< send send_buf() as one UDP datagram to servers[server]
    OpenStream,    ///< open TCP to servers[server] (the answer was truncated)
    CloseStream,   ///< close the TCP connection
    Address,       ///< an A or AAAA record: family, address, ttl
    Mx,            ///< an MX record: preference, name (the exchange; "." for a null MX), ttl
    Done,          ///< the resolution ended: outcome
};

struct DnsEvent {
    DnsEventType type = DnsEventType::None;
    std::uint8_t server = 0;               ///< SendDatagram, OpenStream
    Outcome outcome = Outcome::Pending;    ///< Done
    std::uint8_t family = 0;               ///< Address: 4 or 6
    const std::uint8_t* address = nullptr; ///< Address: 4 or 16 octets
    std::uint16_t preference = 0;          ///< Mx
    std::string_view name;                 ///< Mx: exchange; Done: the name answered (after CNAMEs;
                                           ///< with 0x20 its letter case is the random one sent)
    std::uint32_t ttl = 0;                 ///< Address, Mx
};

class Resolver {
public:
    /// Storage layout: [send buffer | name text | receive buffer].
    static constexpr std::size_t kSendCapacity = 2 + kMaxNameOctets + 33;  ///< a TCP-framed query
    static constexpr std::size_t kTextCapacity = 256;                      ///< one name as text
    /// A classic 512-octet message (RFC 1035 §2.3.4) framed for TCP.
    static constexpr std::size_t kMinReceive = 2 + kClassicUdpSize;
    static constexpr std::size_t min_storage() noexcept { return kSendCapacity + kTextCapacity + kMinReceive; }
    /// Storage for a receive buffer that holds the default EDNS0 payload over
    /// UDP or TCP; a larger answer over TCP makes that try fail (LimitExceeded).
    static constexpr std::size_t kRecommendedStorage = kSendCapacity + kTextCapacity + 2 + kDefaultEdnsSize;
    /// Random octets one query consumes at most: a 16-bit ID and 32 octets of case bits.
    static constexpr std::size_t kRandomPool = 34;

    /// `config` is copied (servers borrowed); `storage` must outlive the
    /// Resolver. Check ok(): storage below min_storage(), no server, zero
    /// attempts or a zero timeout leave it Done with a Misuse error.
    Resolver(const ResolverConfig& config, MutableBytes storage) noexcept;
    Resolver(const Resolver&) = delete;
    Resolver& operator=(const Resolver&) = delete;

    /// Starts resolving `name` (dotted text, see Name::from_text) for `type`
    /// (A, AAAA or MX). Needs state() Idle or Done. Misuse or InvalidInput
    /// is returned and nothing changes when it cannot start.
    Error start(std::string_view name, RrType type) noexcept;
    /// Stops the resolution: CloseStream if TCP was open, then Done (Failed).
    void cancel() noexcept;

    // ---- getters -----------------------------------------------------------
    ResolverState state() const noexcept { return state_; }
    const ResolverConfig& config() const noexcept { return config_; }
    /// False when the constructor refused the config or storage (last_error() says why).
    bool ok() const noexcept { return send_ != nullptr; }
    Outcome outcome() const noexcept { return outcome_; }
    /// Why the resolution failed (Timeout, PeerViolation, LimitExceeded, Misuse).
    Error last_error() const noexcept { return error_; }
    /// Datagrams and answers dropped because they did not match (RFC 5452).
    std::uint32_t ignored() const noexcept { return ignored_; }
    /// The server of the current try (index into config.servers).
    std::uint8_t server() const noexcept { return server_; }
    bool over_tcp() const noexcept { return state_ == ResolverState::AwaitOpen || state_ == ResolverState::AwaitTcp; }
    bool want_write() const noexcept { return !send_buf().empty(); }
    bool want_read() const noexcept { return state_ == ResolverState::AwaitUdp || state_ == ResolverState::AwaitTcp; }

    // ---- randomness (the host's CSPRNG) ------------------------------------
    bool want_random() const noexcept { return state_ == ResolverState::NeedRandom; }
    /// Room in the random pool; fill it with octets from a CSPRNG.
    MutableBytes random_buf() noexcept;
    Error random_ack(std::size_t n) noexcept;

    // ---- output ------------------------------------------------------------
    DnsEvent next_event() noexcept;
    /// The query to send: a whole datagram (UDP) or the rest of the framed query (TCP).
    Bytes send_buf() const noexcept;
    /// UDP: n must be the whole datagram. TCP: any n up to send_buf().size().
    Error send_ack(std::size_t n) noexcept;

    // ---- input -------------------------------------------------------------
    /// Where to read the next datagram or stream bytes; empty when nothing is
    /// expected or earlier input waits for next_event().
    MutableBytes recv_buf() noexcept;
    /// A datagram of `n` octets from `source` was read into recv_buf(). One
    /// from any other endpoint than the current server is ignored.
    Error datagram_received(const Endpoint& source, std::size_t n) noexcept;
    /// `n` stream octets were read into recv_buf() (TCP).
    Error recv_ack(std::size_t n) noexcept;
    /// The TCP connection asked for by OpenStream is up.
    Error stream_connected() noexcept;
    /// The TCP connection failed or closed: this try failed.
    void connection_closed() noexcept;

    /// When handle_timeout() is due; kNever when nothing waits.
    Millis deadline() const noexcept;
    /// The host's time. A wait begun since the last call starts now; a try
    /// whose time is up fails and the next one starts. Idempotent.
    void handle_timeout(Millis now) noexcept;

private:
    void send_query(bool tcp) noexcept;
    void consume_random(std::size_t n) noexcept;
    void fail_try(ErrorKind kind, const char* reason) noexcept;
    void next_try() noexcept;
    void finish(Outcome outcome) noexcept;
    void examine_input() noexcept;
    bool waiting() const noexcept;
    DnsEvent report_next() noexcept;
    Bytes message() const noexcept;

    ResolverConfig config_;
    char* send_ = nullptr;
    char* text_ = nullptr;
    char* recv_ = nullptr;
    std::uint32_t recv_cap_ = 0;
    std::uint32_t recv_len_ = 0;      // octets in the receive buffer
    std::uint32_t report_offset_ = 0; // next answer record to report
    std::uint32_t ignored_ = 0;
    Millis now_ = 0;
    Millis wait_start_ = kNever;
    Error error_;
    Name qname_;                      // the name asked now (after CNAMEs, with 0x20 case)
    RrType qtype_ = RrType::A;
    std::uint16_t id_ = 0;
    std::uint16_t send_len_ = 0;
    std::uint16_t send_done_ = 0;
    std::uint16_t report_left_ = 0;   // answer records still to look at
    std::uint8_t random_[kRandomPool] = {};
    std::uint8_t random_len_ = 0;
    ResolverState state_ = ResolverState::Idle;
    Outcome outcome_ = Outcome::Pending;
    DnsEventType announce_ = DnsEventType::None;  // SendDatagram/OpenStream not yet pulled
    std::uint8_t server_ = 0;
    std::uint8_t attempt_ = 0;
    std::uint8_t cnames_ = 0;
    bool close_pending_ = false;      // CloseStream not yet pulled
    bool input_ready_ = false;        // a whole message waits for next_event()
    bool server_failed_ = false;      // some try got a bad answer (not only silence)
    bool want_tcp_ = false;           // the query waiting for random octets goes over TCP
    bool tcp_answer_ = false;         // the answer being reported came over TCP (framed)
    bool edns_refused_ = false;       // a server said FORMERR to EDNS0: ask without it
    bool time_known_ = false;
};

namespace detail {
template <std::size_t N>
struct ResolverStorage {
    alignas(8) char storage_[N];
};
}  // namespace detail

/// A Resolver with its storage inside: `StaticResolver<> r(config);`.
template <std::size_t N = Resolver::kRecommendedStorage>
class StaticResolver : private detail::ResolverStorage<N>, public Resolver {
public:
    explicit StaticResolver(const ResolverConfig& config) noexcept
        : Resolver(config, MutableBytes(this->storage_, N)) {}
};

}  // namespace smtpcore::dns
