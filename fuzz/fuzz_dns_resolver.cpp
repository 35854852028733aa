// Fuzz target: the stub resolver's state machine (lib/dns/resolver.cpp) under a
// fuzzed host and a fuzzed network: time steps, random octets, datagrams from
// the right or a wrong source, raw or built on the query's own ID and
// question (so they get past RFC 5452 matching), TCP bytes in fuzzed pieces,
// connections that open or fail.
//
// Checks:
//  - no resolver call allocates;
//  - an Address points into the receive storage, an Mx name is a host name;
//  - exactly one Done per resolution, nothing after it;
//  - it ends: after the input, stepping the clock finishes the resolution
//    within attempts x servers x (CNAME restarts + 1) x 2 timeouts;
//  - split invariance: the same script with TCP bytes fed whole or in fuzzed
//    pieces gives the same events.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "alloc_probe.hpp"
#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "smtpcore/dns/resolver.hpp"

using namespace smtpcore;
using namespace smtpcore::dns;

namespace {

enum class Kind : std::uint8_t { Time, Random, Datagram, Stream, Connected, Closed };

struct Action {
    Kind kind = Kind::Time;
    std::uint32_t arg = 0;
    std::uint8_t source = 0;  // index into the servers; >= count: a stranger
    bool echo = false;        // build on the last query's ID and question
    std::string bytes;
    std::string pieces;       // TCP piece sizes for the split run
};

struct Script {
    ResolverConfig config;
    Endpoint servers[3];
    std::size_t storage = 0;
    std::string name;
    RrType type = RrType::A;
    std::vector<Action> actions;
};

Script read_script(FuzzedDataProvider& fdp) {
    Script s;
    const std::size_t n = fdp.ConsumeIntegralInRange<std::size_t>(1, 3);
    for (std::size_t i = 0; i < n; ++i) s.servers[i] = ipv4(127, 0, 0, static_cast<std::uint8_t>(1 + i), 53);
    s.config.servers = Span<const Endpoint>(s.servers, n);
    s.config.timeout = fdp.ConsumeIntegralInRange<Duration>(1, 5000);
    s.config.attempts = fdp.ConsumeIntegralInRange<std::uint8_t>(1, 3);
    s.config.randomize_case = fdp.ConsumeBool();
    s.config.tcp_fallback = fdp.ConsumeBool();
    s.config.max_cnames = fdp.ConsumeIntegralInRange<std::uint8_t>(0, 8);
    s.config.edns_udp_size = fdp.ConsumeBool() ? kDefaultEdnsSize : 0;
    s.storage = fdp.ConsumeIntegralInRange<std::size_t>(Resolver::min_storage(), 4096);
    static const char* kNames[] = {"example.com", "a.example", "mail.Example.ORG", "x"};
    s.name = kNames[fdp.ConsumeIntegralInRange<int>(0, 3)];
    static const RrType kTypes[] = {RrType::A, RrType::AAAA, RrType::MX};
    s.type = kTypes[fdp.ConsumeIntegralInRange<int>(0, 2)];
    while (fdp.remaining_bytes() > 0 && s.actions.size() < 64) {
        Action a;
        a.kind = static_cast<Kind>(fdp.ConsumeIntegralInRange<int>(0, 5));
        a.arg = fdp.ConsumeIntegral<std::uint16_t>();
        a.source = fdp.ConsumeIntegralInRange<std::uint8_t>(0, 3);
        a.echo = fdp.ConsumeBool();
        if (a.kind == Kind::Datagram || a.kind == Kind::Stream || a.kind == Kind::Random)
            a.bytes = fdp.ConsumeRandomLengthString(1500);
        if (a.kind == Kind::Stream) a.pieces = fdp.ConsumeRandomLengthString(8);
        s.actions.push_back(std::move(a));
    }
    return s;
}

struct Run {
    const Script& s;
    bool split;
    std::vector<char> storage;
    Resolver r;
    Millis now = 0;
    std::string last_query;  // without TCP framing
    std::string log;
    std::size_t allocations = 0;
    std::size_t sends = 0;
    int done = 0;

    Run(const Script& script, bool split_stream)
        : s(script), split(split_stream), storage(script.storage), r(script.config, MutableBytes(storage.data(), storage.size())) {}

    template <class F>
    void call(F&& f) { allocations += fuzz::count_allocations(f); }

    void drain() {
        for (;;) {
            DnsEvent ev;
            call([&] { ev = r.next_event(); });
            if (ev.type == DnsEventType::None) break;
            FUZZ_CHECK(done == 0, "an event after Done");
            log += std::to_string(static_cast<int>(ev.type)) + ":";
            switch (ev.type) {
            case DnsEventType::SendDatagram:
            case DnsEventType::OpenStream:
                ++sends;
                FUZZ_CHECK(ev.server < s.config.servers.size(), "a query to a server that does not exist");
                break;
            case DnsEventType::Address: {
                FUZZ_CHECK(ev.family == 4 || ev.family == 6, "an address of no family");
                const std::size_t n = ev.family == 4 ? 4 : 16;
                const auto* base = reinterpret_cast<const std::uint8_t*>(storage.data());
                FUZZ_CHECK(ev.address >= base && ev.address + n <= base + storage.size(), "address outside the storage");
                log.append(reinterpret_cast<const char*>(ev.address), n);
                break;
            }
            case DnsEventType::Mx:
                for (char c : ev.name) {
                    const bool host = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                      c == '-' || c == '_' || c == '.';
                    FUZZ_CHECK(host, "an MX name that is not a host name");
                }
                log += std::to_string(ev.preference) + std::string(ev.name);
                break;
            case DnsEventType::Done:
                ++done;
                FUZZ_CHECK(ev.outcome != Outcome::Pending, "Done without an outcome");
                FUZZ_CHECK(r.state() == ResolverState::Done, "Done but not in the Done state");
                log += std::to_string(static_cast<int>(ev.outcome));
                break;
            default: break;
            }
            log += " ";
        }
        Bytes out;
        call([&] { out = r.send_buf(); });
        if (!out.empty()) {
            std::string q(out.data(), out.size());
            if (r.over_tcp()) {
                if (q.size() > 2) last_query = q.substr(2);
            } else {
                last_query = q;
            }
            call([&] { r.send_ack(out.size()); });
        }
    }

    std::string echo_of(const std::string& tail) const {
        // [ID][flags from the input][counts from the input][the question][rest of the input]
        if (last_query.size() < 12) return tail;
        std::size_t at = 12;
        while (at < last_query.size() && last_query[at] != 0) at += 1 + static_cast<unsigned char>(last_query[at]);
        const std::string question = last_query.substr(12, at + 5 - 12);
        std::string head = tail.substr(0, tail.size() < 10 ? tail.size() : 10);
        head.resize(10, '\0');
        head[0] = static_cast<char>(head[0] | 0x80);  // QR
        return last_query.substr(0, 2) + head + question + (tail.size() > 10 ? tail.substr(10) : "");
    }

    void stream(const std::string& bytes, const std::string& pieces) {
        std::size_t at = 0, turn = 0;
        while (at < bytes.size() && r.state() == ResolverState::AwaitTcp) {
            MutableBytes w;
            call([&] { w = r.recv_buf(); });
            if (w.empty()) break;
            std::size_t n = bytes.size() - at < w.size() ? bytes.size() - at : w.size();
            if (split && !pieces.empty()) {
                const std::size_t want = 1 + static_cast<unsigned char>(pieces[turn++ % pieces.size()]) % 64;
                n = want < n ? want : n;
            }
            std::memcpy(w.data(), bytes.data() + at, n);
            call([&] { r.recv_ack(n); });
            at += n;
            if (split) drain();
        }
    }

    void act(const Action& a) {
        switch (a.kind) {
        case Kind::Time: now += a.arg % 3000; call([&] { r.handle_timeout(now); }); break;
        case Kind::Random: {
            MutableBytes w;
            call([&] { w = r.random_buf(); });
            const std::size_t n = a.bytes.size() < w.size() ? a.bytes.size() : w.size();
            if (n) std::memcpy(w.data(), a.bytes.data(), n);
            call([&] { r.random_ack(n); });
            break;
        }
        case Kind::Datagram: {
            const std::string msg = a.echo ? echo_of(a.bytes) : a.bytes;
            const Endpoint from = a.source < s.config.servers.size() ? s.servers[a.source] : ipv4(10, 0, 0, 1, 53);
            MutableBytes w;
            call([&] { w = r.recv_buf(); });
            if (w.empty() || r.over_tcp()) break;
            const std::size_t n = msg.size() < w.size() ? msg.size() : w.size();
            if (n) std::memcpy(w.data(), msg.data(), n);
            call([&] { r.datagram_received(from, n); });
            break;
        }
        case Kind::Stream: {
            std::string msg = a.echo ? echo_of(a.bytes) : a.bytes;
            if (a.echo) msg = std::string{static_cast<char>(msg.size() >> 8), static_cast<char>(msg.size() & 0xFF)} + msg;
            stream(msg, a.pieces);
            break;
        }
        case Kind::Connected: call([&] { r.stream_connected(); }); break;
        case Kind::Closed: call([&] { r.connection_closed(); }); break;
        }
        drain();
    }

    void go() {
        call([&] { r.handle_timeout(now); });
        const Error e = [&] {
            Error out;
            call([&] { out = r.start(s.name, s.type); });
            return out;
        }();
        FUZZ_CHECK(!e, "start() refused a valid name");
        drain();
        for (const Action& a : s.actions) act(a);
        // The end: only the clock and random octets from here on.
        const std::size_t bound = std::size_t(s.config.max_cnames + 1) * s.config.attempts *
                                      s.config.servers.size() * 2 + 4;
        for (std::size_t i = 0; i < bound && done == 0; ++i) {
            now += s.config.timeout;
            call([&] { r.handle_timeout(now); });
            if (r.want_random()) {
                MutableBytes w;
                call([&] { w = r.random_buf(); });
                for (std::size_t k = 0; k < w.size(); ++k) w[k] = static_cast<char>(k * 151 + i);
                call([&] { r.random_ack(w.size()); });
            }
            drain();
        }
        FUZZ_CHECK(done == 1, "the resolution did not end after its last deadline");
        FUZZ_CHECK(r.deadline() == kNever, "a deadline after Done");
        FUZZ_CHECK(allocations == 0, "the resolver allocated");
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const Script script = read_script(fdp);
    Run whole(script, false);
    whole.go();
    Run pieces(script, true);
    pieces.go();
    FUZZ_CHECK(whole.log == pieces.log, "the split of the TCP bytes changed the events");
    return 0;
}
