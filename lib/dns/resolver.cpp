// The stub resolver's state machine: tries, timeouts, UDP and the TCP
// fallback, and what each answer means (RFC 1035 §4.2, §7; RFC 5452; RFC 7766).
// Which responses are answers is decided in answer.cpp.
#include <cstring>

#include "smtpcore/dns/message.hpp"
#include "smtpcore/dns/resolver.hpp"
#include "answer.hpp"
#include "reason.hpp"
#include "wire.hpp"

namespace smtpcore::dns {
namespace {

constexpr const char* kWhere = "DNS";
constexpr std::size_t kMaxReceive = 2 + 65535;  // the largest TCP-framed message

Error error(ErrorKind kind, const char* reason) noexcept { return Error{kind, reason, kWhere, -1}; }

}  // namespace

Resolver::Resolver(const ResolverConfig& config, MutableBytes storage) noexcept : config_(config) {
    const char* refused = nullptr;
    if (storage.size() < min_storage()) refused = SMTPCORE_REASON("storage below Resolver::min_storage()");
    else if (config.servers.empty() || config.servers.size() > 255)
        refused = SMTPCORE_REASON("between 1 and 255 servers are needed");
    else if (config.attempts == 0 || config.timeout == 0)
        refused = SMTPCORE_REASON("attempts and timeout must be positive");
    if (refused) {
        state_ = ResolverState::Done;
        outcome_ = Outcome::Failed;
        error_ = error(ErrorKind::Misuse, refused);
        return;
    }
    send_ = storage.data();
    text_ = send_ + kSendCapacity;
    recv_ = text_ + kTextCapacity;
    const std::size_t rest = storage.size() - kSendCapacity - kTextCapacity;
    recv_cap_ = static_cast<std::uint32_t>(rest < kMaxReceive ? rest : kMaxReceive);
}

Error Resolver::start(std::string_view name, RrType type) noexcept {
    if (!ok()) return error_;
    if (state_ != ResolverState::Idle && state_ != ResolverState::Done)
        return error(ErrorKind::Misuse, SMTPCORE_REASON("a resolution is in progress"));
    if (type != RrType::A && type != RrType::AAAA && type != RrType::MX)
        return error(ErrorKind::Misuse, SMTPCORE_REASON("only A, AAAA and MX are resolved"));
    Name parsed;
    if (!parsed.from_text(name) || parsed.is_root())
        return error(ErrorKind::InvalidInput, SMTPCORE_REASON("not a host name"));
    qname_ = parsed;
    qtype_ = type;
    server_ = attempt_ = cnames_ = 0;
    server_failed_ = close_pending_ = input_ready_ = tcp_answer_ = edns_refused_ = false;
    announce_ = DnsEventType::None;
    outcome_ = Outcome::Pending;
    error_ = Error{};
    send_query(false);
    return Error{};
}

void Resolver::cancel() noexcept {
    if (state_ == ResolverState::Idle || state_ == ResolverState::Done || state_ == ResolverState::Reporting)
        return;
    error_ = error(ErrorKind::Aborted, SMTPCORE_REASON("cancelled"));
    finish(Outcome::Failed);
}

// ---- queries -----------------------------------------------------------------

void Resolver::consume_random(std::size_t n) noexcept {
    std::memmove(random_, random_ + n, random_len_ - n);
    random_len_ = static_cast<std::uint8_t>(random_len_ - n);
}

// RFC 5452 §4.3, §9.2: the ID (and, with 0x20, the letter case) come from the
// host's random octets, fresh for every query sent; the source port is the
// host's (an ephemeral socket per query).
void Resolver::send_query(bool tcp) noexcept {
    std::size_t case_octets = config_.randomize_case ? (qname_.letters() + 7) / 8 : 0;
    if (case_octets > kRandomPool - 2) case_octets = kRandomPool - 2;
    want_tcp_ = tcp;
    if (random_len_ < 2 + case_octets) {
        state_ = ResolverState::NeedRandom;
        return;
    }
    id_ = static_cast<std::uint16_t>((random_[0] << 8) | random_[1]);
    if (case_octets) qname_.randomize_case(Bytes(reinterpret_cast<const char*>(random_ + 2), case_octets));
    consume_random(2 + case_octets);

    QuerySpec spec;
    spec.id = id_;
    spec.name = &qname_;
    spec.type = qtype_;
    // RFC 6891 §6.2.5: never advertise more than the receive buffer holds.
    spec.edns_udp_size = edns_refused_ ? 0 : config_.edns_udp_size;
    if (spec.edns_udp_size > recv_cap_) spec.edns_udp_size = static_cast<std::uint16_t>(recv_cap_);
    const std::size_t frame = tcp ? 2 : 0;  // RFC 1035 §4.2.2: a 2-octet length before each message
    std::size_t n = write_query(spec, MutableBytes(send_ + frame, kSendCapacity - frame));
    if (tcp) wire::put16(send_, static_cast<std::uint16_t>(n));
    send_len_ = static_cast<std::uint16_t>(n + frame);
    send_done_ = 0;
    recv_len_ = 0;
    input_ready_ = false;
    // The try's clock starts at the host's last time; before any time was
    // given, at the first handle_timeout().
    wait_start_ = time_known_ ? now_ : kNever;
    state_ = tcp ? ResolverState::AwaitOpen : ResolverState::AwaitUdp;
    announce_ = tcp ? DnsEventType::OpenStream : DnsEventType::SendDatagram;
}

// One try failed: the next server, then the next round (resolv.conf(5)
// semantics: `attempts` rounds over every server, `timeout` per try).
void Resolver::fail_try(ErrorKind kind, const char* reason) noexcept {
    error_ = error(kind, reason);
    if (kind != ErrorKind::Timeout) server_failed_ = true;
    if (over_tcp()) close_pending_ = true;
    next_try();
}

void Resolver::next_try() noexcept {
    announce_ = DnsEventType::None;
    input_ready_ = false;
    recv_len_ = 0;
    if (++server_ >= config_.servers.size()) {
        server_ = 0;
        if (++attempt_ >= config_.attempts) {
            finish(server_failed_ ? Outcome::ServerFailure : Outcome::Timeout);
            return;
        }
    }
    send_query(false);
}

void Resolver::finish(Outcome outcome) noexcept {
    if (over_tcp()) close_pending_ = true;
    announce_ = DnsEventType::None;
    input_ready_ = false;
    outcome_ = outcome;
    if (outcome != Outcome::Answer) report_left_ = 0;
    if (outcome == Outcome::Answer || outcome == Outcome::NoData || outcome == Outcome::NxDomain) error_ = Error{};
    state_ = ResolverState::Reporting;
}

// ---- answers -----------------------------------------------------------------

Bytes Resolver::message() const noexcept {
    if (tcp_answer_) return Bytes(recv_ + 2, wire::u16(recv_));
    return Bytes(recv_, recv_len_);
}

void Resolver::examine_input() noexcept {
    input_ready_ = false;
    tcp_answer_ = state_ == ResolverState::AwaitTcp;
    Expectation expected;
    expected.id = id_;
    expected.name = &qname_;
    expected.type = qtype_;
    expected.exact_case = config_.randomize_case;
    Name answered;
    const Examined x = examine(message(), expected, static_cast<std::uint8_t>(config_.max_cnames - cnames_), answered);
    switch (x.verdict) {
    case Verdict::Ignore:
        ++ignored_;
        // A datagram can be forged by anyone: keep waiting for the real one.
        // On a connection it is the server itself that answered wrongly.
        if (tcp_answer_) fail_try(ErrorKind::PeerViolation, SMTPCORE_REASON("the TCP answer does not match the query"));
        else recv_len_ = 0;
        return;
    case Verdict::Malformed:
        fail_try(ErrorKind::PeerViolation, SMTPCORE_REASON("malformed answer"));
        return;
    case Verdict::Truncated:
        if (!tcp_answer_ && config_.tcp_fallback) send_query(true);  // RFC 7766 §5
        else fail_try(ErrorKind::PeerViolation, SMTPCORE_REASON("truncated answer"));
        return;
    case Verdict::FormatError:
        // RFC 6891 §7: a server that refuses the OPT record is asked again
        // without it, once per resolution; otherwise FORMERR fails the try.
        if (!edns_refused_ && config_.edns_udp_size != 0) {
            edns_refused_ = true;
            if (over_tcp()) close_pending_ = true;
            send_query(false);
        } else {
            fail_try(ErrorKind::Refused, SMTPCORE_REASON("the server answered FORMERR"));
        }
        return;
    case Verdict::ServerFailure:
        fail_try(ErrorKind::Refused, SMTPCORE_REASON("the server answered SERVFAIL, REFUSED or another error"));
        return;
    case Verdict::NxDomain: finish(Outcome::NxDomain); return;
    case Verdict::NoData: finish(Outcome::NoData); return;
    case Verdict::CnameLimit:
        error_ = error(ErrorKind::LimitExceeded, SMTPCORE_REASON("CNAME chain longer than max_cnames"));
        finish(Outcome::Failed);
        return;
    case Verdict::Restart:
        // RFC 1034 §5.3.3: start over for the canonical name, every server anew.
        cnames_ = static_cast<std::uint8_t>(cnames_ + x.cnames);
        qname_ = answered;
        if (over_tcp()) close_pending_ = true;
        server_ = attempt_ = 0;
        server_failed_ = false;
        send_query(false);
        return;
    case Verdict::Answer:
        cnames_ = static_cast<std::uint8_t>(cnames_ + x.cnames);
        qname_ = answered;
        report_offset_ = static_cast<std::uint32_t>(x.answers_offset);
        report_left_ = x.answers;
        finish(Outcome::Answer);
        return;
    }
}

DnsEvent Resolver::report_next() noexcept {
    const Bytes msg = message();
    DnsEvent ev;
    while (report_left_ > 0) {
        --report_left_;
        Record record;
        Name owner;
        std::size_t at = report_offset_;
        if (read_record(msg, at, record, owner) != ParseError::None) {
            report_left_ = 0;  // cannot happen: examine() parsed the whole message
            break;
        }
        report_offset_ = static_cast<std::uint32_t>(at);
        // Only records of the asked type owned by the name answered: anything
        // else in the answer section is out of bailiwick for this query.
        if (record.rr_class != kClassIn || record.type != static_cast<std::uint16_t>(qtype_) ||
            !owner.equals_ignoring_case(qname_))
            continue;
        ev.ttl = record.ttl;
        if (qtype_ == RrType::MX) {
            Name exchange;
            const std::size_t n = read_target(msg, record, exchange) ? exchange.to_text(text_, kTextCapacity) : 0;
            if (n == 0) {  // not a host name (RFC 5321 §2.3.5): never handed out
                ++ignored_;
                continue;
            }
            ev.type = DnsEventType::Mx;
            ev.preference = mx_preference(msg, record);
            ev.name = std::string_view(text_, n);
            return ev;
        }
        ev.type = DnsEventType::Address;
        ev.family = qtype_ == RrType::A ? 4 : 6;
        ev.address = reinterpret_cast<const std::uint8_t*>(msg.data() + record.rdata_offset);
        return ev;
    }
    state_ = ResolverState::Done;
    ev.type = DnsEventType::Done;
    ev.outcome = outcome_;
    ev.name = std::string_view(text_, qname_.to_text(text_, kTextCapacity));
    return ev;
}

DnsEvent Resolver::next_event() noexcept {
    for (;;) {
        DnsEvent ev;
        if (close_pending_) {
            close_pending_ = false;
            ev.type = DnsEventType::CloseStream;
            return ev;
        }
        if (announce_ != DnsEventType::None) {
            ev.type = announce_;
            ev.server = server_;
            announce_ = DnsEventType::None;
            return ev;
        }
        if (input_ready_) {
            examine_input();
            continue;
        }
        if (state_ == ResolverState::Reporting) return report_next();
        return ev;
    }
}

// ---- windows -----------------------------------------------------------------

MutableBytes Resolver::random_buf() noexcept {
    return MutableBytes(reinterpret_cast<char*>(random_) + random_len_, kRandomPool - random_len_);
}

Error Resolver::random_ack(std::size_t n) noexcept {
    if (n > kRandomPool - random_len_) return error(ErrorKind::Misuse, SMTPCORE_REASON("more random octets than the window"));
    random_len_ = static_cast<std::uint8_t>(random_len_ + n);
    if (state_ == ResolverState::NeedRandom) send_query(want_tcp_);
    return Error{};
}

Bytes Resolver::send_buf() const noexcept {
    if (state_ == ResolverState::AwaitUdp && send_done_ == 0) return Bytes(send_, send_len_);
    if (state_ == ResolverState::AwaitTcp) return Bytes(send_ + send_done_, send_len_ - send_done_);
    return Bytes();
}

Error Resolver::send_ack(std::size_t n) noexcept {
    const Bytes pending = send_buf();
    if (n == 0) return Error{};
    if (n > pending.size() || (state_ == ResolverState::AwaitUdp && n != pending.size()))
        return error(ErrorKind::Misuse, SMTPCORE_REASON("send_ack() beyond send_buf(), or part of a datagram"));
    send_done_ = static_cast<std::uint16_t>(send_done_ + n);
    return Error{};
}

MutableBytes Resolver::recv_buf() noexcept {
    if (input_ready_) return MutableBytes();
    // A datagram before the query left can only be stale or forged.
    if (state_ == ResolverState::AwaitUdp && send_done_ == send_len_) return MutableBytes(recv_, recv_cap_);
    if (state_ != ResolverState::AwaitTcp) return MutableBytes();
    const std::size_t limit = recv_len_ >= 2 ? 2 + std::size_t(wire::u16(recv_)) : recv_cap_;
    return MutableBytes(recv_ + recv_len_, limit - recv_len_);
}

Error Resolver::datagram_received(const Endpoint& source, std::size_t n) noexcept {
    const MutableBytes window = recv_buf();
    if (n > window.size() || state_ == ResolverState::AwaitTcp)
        return error(ErrorKind::Misuse, SMTPCORE_REASON("datagram_received() without a datagram window"));
    if (window.empty()) return Error{};
    // RFC 5452 §9.1: only from the address and port the query went to.
    if (source != config_.servers[server_]) {
        ++ignored_;
        return Error{};
    }
    recv_len_ = static_cast<std::uint32_t>(n);
    input_ready_ = n > 0;
    return Error{};
}

Error Resolver::recv_ack(std::size_t n) noexcept {
    const MutableBytes window = recv_buf();
    if (n > window.size() || state_ == ResolverState::AwaitUdp)
        return error(ErrorKind::Misuse, SMTPCORE_REASON("recv_ack() beyond recv_buf()"));
    if (n == 0) return Error{};
    recv_len_ += static_cast<std::uint32_t>(n);
    if (recv_len_ < 2) return Error{};
    const std::size_t length = wire::u16(recv_);
    // Never more than the caller's buffer, however long the server says the
    // answer is (the glibc CVE-2015-7547 class): that try fails instead.
    if (2 + length > recv_cap_) {
        fail_try(ErrorKind::LimitExceeded, SMTPCORE_REASON("TCP answer larger than the receive buffer"));
        return Error{};
    }
    if (recv_len_ >= 2 + length) input_ready_ = true;
    return Error{};
}

Error Resolver::stream_connected() noexcept {
    if (state_ != ResolverState::AwaitOpen)
        return error(ErrorKind::Misuse, SMTPCORE_REASON("stream_connected() without OpenStream"));
    state_ = ResolverState::AwaitTcp;
    return Error{};
}

void Resolver::connection_closed() noexcept {
    if (!over_tcp() || input_ready_) return;
    close_pending_ = false;  // the host has closed it already
    fail_try(ErrorKind::ConnectionLost, SMTPCORE_REASON("the TCP connection closed before the answer"));
    close_pending_ = false;
}

// ---- time --------------------------------------------------------------------

bool Resolver::waiting() const noexcept {
    return state_ == ResolverState::AwaitUdp || state_ == ResolverState::AwaitOpen ||
           state_ == ResolverState::AwaitTcp;
}

Millis Resolver::deadline() const noexcept {
    if (!waiting() || input_ready_) return kNever;
    if (wait_start_ == kNever) return time_known_ ? now_ : 0;  // wake now to start the clock
    return wait_start_ + config_.timeout;
}

void Resolver::handle_timeout(Millis now) noexcept {
    now_ = now;
    time_known_ = true;
    if (!waiting() || input_ready_) return;  // an answer in hand is looked at first
    if (wait_start_ == kNever) wait_start_ = now;
    if (now >= wait_start_ && now - wait_start_ >= config_.timeout)
        fail_try(ErrorKind::Timeout, SMTPCORE_REASON("no answer within the timeout"));
}

}  // namespace smtpcore::dns
