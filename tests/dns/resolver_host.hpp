// A scripted host for Resolver tests: moves datagrams and stream bytes, hands
// in time and random octets, and writes down every event as text.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "packet.hpp"
#include "smtpcore/dns/resolver.hpp"

namespace smtpcore::dns::test {

/// The question of a query (name, type, class) as raw octets.
inline std::string question_of(const std::string& query) {
    std::size_t at = 12;
    while (at < query.size() && query[at] != 0) at += 1 + static_cast<unsigned char>(query[at]);
    return query.substr(12, at + 1 + 4 - 12);
}

/// A response to `query`: its ID and question, `answers` records to follow.
inline Packet answer_to(const std::string& query, unsigned answers, unsigned flags = kResponse) {
    Packet p;
    p.raw(query.substr(0, 2)).u16(flags).u16(1).u16(answers).u16(0).u16(0).raw(question_of(query));
    return p;
}

struct ScriptedHost {
    explicit ScriptedHost(Resolver& resolver) : r(resolver) {}

    Resolver& r;
    Millis now = 1000;
    unsigned char next_random = 1;
    bool give_random = true;
    std::vector<std::string> sent;  // datagrams or framed TCP queries, in order
    std::string log;                // "send0 open1 close addr:192.0.2.1 mx:10:a.example done:answer:name"

    /// Runs the host loop once: time, random octets, events, writes.
    void pump() {
        r.handle_timeout(now);
        if (r.want_random() && give_random) {
            MutableBytes w = r.random_buf();
            for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<char>(next_random++ * 37);
            r.random_ack(w.size());
        }
        for (DnsEvent ev = r.next_event(); ev.type != DnsEventType::None; ev = r.next_event()) record(ev);
        const Bytes out = r.send_buf();
        if (!out.empty() && !r.over_tcp()) {
            sent.emplace_back(out.data(), out.size());
            r.send_ack(out.size());
        } else if (!out.empty() && r.state() == ResolverState::AwaitTcp) {
            sent.emplace_back(out.data(), out.size());
            r.send_ack(out.size());
        }
    }

    void record(const DnsEvent& ev) {
        switch (ev.type) {
        case DnsEventType::SendDatagram: log += "send" + std::to_string(ev.server) + " "; break;
        case DnsEventType::OpenStream: log += "open" + std::to_string(ev.server) + " "; break;
        case DnsEventType::CloseStream: log += "close "; break;
        case DnsEventType::Address: {
            log += "addr:";
            const std::size_t n = ev.family == 4 ? 4 : 16;
            for (std::size_t i = 0; i < n; ++i) log += (i ? "." : "") + std::to_string(ev.address[i]);
            log += " ";
            break;
        }
        case DnsEventType::Mx: log += "mx:" + std::to_string(ev.preference) + ":" + std::string(ev.name) + " "; break;
        case DnsEventType::Done: log += "done:" + outcome_name(ev.outcome) + ":" + lower(ev.name); break;
        case DnsEventType::None: break;
        }
    }

    static std::string lower(std::string_view s) {
        std::string out(s);
        for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return out;
    }
    static std::string outcome_name(Outcome o) {
        switch (o) {
        case Outcome::Pending: return "pending";
        case Outcome::Answer: return "answer";
        case Outcome::NoData: return "nodata";
        case Outcome::NxDomain: return "nxdomain";
        case Outcome::ServerFailure: return "servfail";
        case Outcome::Timeout: return "timeout";
        case Outcome::Failed: return "failed";
        }
        return "?";
    }

    /// A datagram from `from`; false when the resolver had no window for it.
    bool datagram(const Endpoint& from, const std::string& bytes) {
        MutableBytes w = r.recv_buf();
        if (w.size() < bytes.size() || w.empty()) return false;
        std::memcpy(w.data(), bytes.data(), bytes.size());
        return !r.datagram_received(from, bytes.size());
    }

    /// Stream bytes, `piece` at a time (0: as many as the window takes).
    void stream(const std::string& bytes, std::size_t piece = 0) {
        std::size_t at = 0;
        while (at < bytes.size()) {
            MutableBytes w = r.recv_buf();
            if (w.empty()) return;
            std::size_t n = bytes.size() - at;
            if (n > w.size()) n = w.size();
            if (piece && n > piece) n = piece;
            std::memcpy(w.data(), bytes.data() + at, n);
            r.recv_ack(n);
            at += n;
            pump();
        }
    }
};

/// Frames a message for TCP (RFC 1035 §4.2.2).
inline std::string framed(const std::string& message) {
    std::string out;
    out += static_cast<char>(message.size() >> 8);
    out += static_cast<char>(message.size() & 0xFF);
    return out + message;
}

}  // namespace smtpcore::dns::test
