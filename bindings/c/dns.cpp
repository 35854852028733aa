// The C ABI's DNS resolver and MX list: smtpcore.h over smtpcore::dns, in the
// caller's storage, without heap, callbacks or exceptions (like client.cpp).
//
// Storage layout: [CResolver (the servers copied)][resolver storage].
#include <new>
#include <type_traits>

#include "convert.hpp"
#include "smtpcore/dns/mx.hpp"
#include "smtpcore/dns/resolver.hpp"

using namespace smtpcore;
using namespace smtpcore::c_abi;

namespace {

#define SAME(c_value, cpp_value) static_assert(int(c_value) == int(cpp_value), #c_value)
SAME(SMTPCORE_DNS_A, dns::RrType::A);
SAME(SMTPCORE_DNS_MX, dns::RrType::MX);
SAME(SMTPCORE_DNS_AAAA, dns::RrType::AAAA);
SAME(SMTPCORE_DNS_STATE_IDLE, dns::ResolverState::Idle);
SAME(SMTPCORE_DNS_STATE_NEED_RANDOM, dns::ResolverState::NeedRandom);
SAME(SMTPCORE_DNS_STATE_AWAIT_UDP, dns::ResolverState::AwaitUdp);
SAME(SMTPCORE_DNS_STATE_AWAIT_OPEN, dns::ResolverState::AwaitOpen);
SAME(SMTPCORE_DNS_STATE_AWAIT_TCP, dns::ResolverState::AwaitTcp);
SAME(SMTPCORE_DNS_STATE_REPORTING, dns::ResolverState::Reporting);
SAME(SMTPCORE_DNS_STATE_DONE, dns::ResolverState::Done);
SAME(SMTPCORE_DNS_PENDING, dns::Outcome::Pending);
SAME(SMTPCORE_DNS_ANSWER, dns::Outcome::Answer);
SAME(SMTPCORE_DNS_NODATA, dns::Outcome::NoData);
SAME(SMTPCORE_DNS_NXDOMAIN, dns::Outcome::NxDomain);
SAME(SMTPCORE_DNS_SERVER_FAILURE, dns::Outcome::ServerFailure);
SAME(SMTPCORE_DNS_TIMEOUT, dns::Outcome::Timeout);
SAME(SMTPCORE_DNS_FAILED, dns::Outcome::Failed);
SAME(SMTPCORE_DNS_EVENT_NONE, dns::DnsEventType::None);
SAME(SMTPCORE_DNS_EVENT_SEND_DATAGRAM, dns::DnsEventType::SendDatagram);
SAME(SMTPCORE_DNS_EVENT_OPEN_STREAM, dns::DnsEventType::OpenStream);
SAME(SMTPCORE_DNS_EVENT_CLOSE_STREAM, dns::DnsEventType::CloseStream);
SAME(SMTPCORE_DNS_EVENT_ADDRESS, dns::DnsEventType::Address);
SAME(SMTPCORE_DNS_EVENT_MX, dns::DnsEventType::Mx);
SAME(SMTPCORE_DNS_EVENT_DONE, dns::DnsEventType::Done);
SAME(SMTPCORE_DNS_MX_PENDING, dns::MxVerdict::Pending);
SAME(SMTPCORE_DNS_MX_HOSTS, dns::MxVerdict::Hosts);
SAME(SMTPCORE_DNS_MX_IMPLICIT, dns::MxVerdict::Implicit);
SAME(SMTPCORE_DNS_MX_NO_MAIL, dns::MxVerdict::NoMail);
SAME(SMTPCORE_DNS_MX_NO_SUCH_DOMAIN, dns::MxVerdict::NoSuchDomain);
SAME(SMTPCORE_DNS_MX_TEMPORARY_FAILURE, dns::MxVerdict::TemporaryFailure);
#undef SAME

constexpr std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

dns::Endpoint to_endpoint(const smtpcore_dns_endpoint& e) noexcept {
    dns::Endpoint out;
    out.family = e.family;
    out.port = e.port;
    for (int i = 0; i < 16; ++i) out.address[i] = e.address[i];
    return out;
}

// What a smtpcore_dns_resolver* points at (an incomplete type in C). The
// servers are copied in first; the engine's config borrows the copies, so
// the caller's array need not outlive init.
struct CResolver {
    dns::Endpoint servers[SMTPCORE_DNS_MAX_SERVERS];
    dns::Resolver engine;
    CResolver(const smtpcore_dns_config& c, MutableBytes storage) noexcept : engine(copy_config(c), storage) {}

private:
    dns::ResolverConfig copy_config(const smtpcore_dns_config& c) noexcept {
        for (std::size_t i = 0; i < c.server_count; ++i) servers[i] = to_endpoint(c.servers[i]);
        dns::ResolverConfig rc;
        rc.servers = Span<const dns::Endpoint>(servers, c.server_count);
        rc.timeout = c.timeout;
        rc.attempts = c.attempts;
        rc.edns_udp_size = c.edns_udp_size;
        rc.randomize_case = c.randomize_case != 0;
        rc.tcp_fallback = c.tcp_fallback != 0;
        rc.max_cnames = c.max_cnames;
        return rc;
    }
};
static_assert(std::is_trivially_destructible<dns::Resolver>::value, "a resolver must need no teardown");

CResolver* self(smtpcore_dns_resolver* r) noexcept { return reinterpret_cast<CResolver*>(r); }
const CResolver* self(const smtpcore_dns_resolver* r) noexcept { return reinterpret_cast<const CResolver*>(r); }
constexpr std::size_t header_size() noexcept { return round_up(sizeof(CResolver), SMTPCORE_CLIENT_ALIGN); }

smtpcore_dns_config default_dns_config() noexcept {
    const dns::ResolverConfig d;
    smtpcore_dns_config c{};
    c.struct_size = sizeof c;
    c.timeout = std::uint32_t(d.timeout);
    c.receive_capacity = std::uint32_t(dns::Resolver::kRecommendedStorage - dns::Resolver::kSendCapacity -
                                       dns::Resolver::kTextCapacity);
    c.edns_udp_size = d.edns_udp_size;
    c.attempts = d.attempts;
    c.randomize_case = d.randomize_case;
    c.tcp_fallback = d.tcp_fallback;
    c.max_cnames = d.max_cnames;
    return c;
}

bool usable(const smtpcore_dns_config* config) noexcept {
    return config && config->struct_size >= offsetof(smtpcore_dns_config, receive_capacity);
}

struct CMxList {
    dns::MxList list;
    explicit CMxList(Span<dns::MxHost> hosts) noexcept : list(hosts) {}
};
constexpr std::size_t mx_header_size() noexcept { return round_up(sizeof(CMxList), SMTPCORE_CLIENT_ALIGN); }
CMxList* self(smtpcore_dns_mx_list* l) noexcept { return reinterpret_cast<CMxList*>(l); }
const CMxList* self(const smtpcore_dns_mx_list* l) noexcept { return reinterpret_cast<const CMxList*>(l); }

bool aligned(const void* p) noexcept { return reinterpret_cast<std::uintptr_t>(p) % SMTPCORE_CLIENT_ALIGN == 0; }

}  // namespace

extern "C" {

void smtpcore_dns_config_init(smtpcore_dns_config* config, size_t struct_size) {
    smtpcore_dns_config full = default_dns_config();
    full.struct_size = std::uint32_t(struct_size);
    config->struct_size = std::uint32_t(struct_size);  // copy_out() writes this many bytes
    copy_out(full, config);
}

void smtpcore_dns_event_init(smtpcore_dns_event* event, size_t struct_size) {
    smtpcore_dns_event full{};
    full.struct_size = std::uint32_t(struct_size);
    event->struct_size = std::uint32_t(struct_size);
    copy_out(full, event);
}

const char* smtpcore_dns_outcome_name(int32_t outcome) {
    switch (outcome) {
    case SMTPCORE_DNS_PENDING: return "pending";
    case SMTPCORE_DNS_ANSWER: return "answer";
    case SMTPCORE_DNS_NODATA: return "nodata";
    case SMTPCORE_DNS_NXDOMAIN: return "nxdomain";
    case SMTPCORE_DNS_SERVER_FAILURE: return "server-failure";
    case SMTPCORE_DNS_TIMEOUT: return "timeout";
    case SMTPCORE_DNS_FAILED: return "failed";
    }
    return "?";
}

size_t smtpcore_dns_resolver_size(const smtpcore_dns_config* config) {
    if (!usable(config)) return 0;
    const smtpcore_dns_config c = read_in(*config, default_dns_config());
    return header_size() + dns::Resolver::kSendCapacity + dns::Resolver::kTextCapacity + c.receive_capacity;
}

smtpcore_error_kind smtpcore_dns_resolver_init(void* storage, size_t storage_size, const smtpcore_dns_config* config,
                                               smtpcore_dns_resolver** resolver) {
    if (!resolver) return SMTPCORE_E_MISUSE;
    *resolver = nullptr;
    const std::size_t needed = smtpcore_dns_resolver_size(config);
    if (!storage || needed == 0 || storage_size < needed || !aligned(storage)) return SMTPCORE_E_MISUSE;
    const smtpcore_dns_config c = read_in(*config, default_dns_config());
    if (!c.servers || c.server_count == 0 || c.server_count > SMTPCORE_DNS_MAX_SERVERS) return SMTPCORE_E_MISUSE;
    char* base = static_cast<char*>(storage);
    CResolver* made = ::new (storage) CResolver(c, MutableBytes(base + header_size(), storage_size - header_size()));
    if (!made->engine.ok()) return smtpcore_error_kind(made->engine.last_error().kind);
    *resolver = reinterpret_cast<smtpcore_dns_resolver*>(made);
    return SMTPCORE_OK;
}

smtpcore_error_kind smtpcore_dns_start(smtpcore_dns_resolver* r, smtpcore_str name, int32_t type) {
    if (type != SMTPCORE_DNS_A && type != SMTPCORE_DNS_AAAA && type != SMTPCORE_DNS_MX) return SMTPCORE_E_MISUSE;
    return smtpcore_error_kind(self(r)->engine.start(view(name), dns::RrType(type)).kind);
}
void smtpcore_dns_cancel(smtpcore_dns_resolver* r) { self(r)->engine.cancel(); }

smtpcore_dns_state smtpcore_dns_get_state(const smtpcore_dns_resolver* r) {
    return smtpcore_dns_state(self(r)->engine.state());
}
smtpcore_dns_outcome smtpcore_dns_get_outcome(const smtpcore_dns_resolver* r) {
    return smtpcore_dns_outcome(self(r)->engine.outcome());
}
smtpcore_error smtpcore_dns_last_error(const smtpcore_dns_resolver* r) { return to_c(self(r)->engine.last_error()); }
uint32_t smtpcore_dns_ignored(const smtpcore_dns_resolver* r) { return self(r)->engine.ignored(); }
int smtpcore_dns_over_tcp(const smtpcore_dns_resolver* r) { return self(r)->engine.over_tcp(); }
int smtpcore_dns_want_read(const smtpcore_dns_resolver* r) { return self(r)->engine.want_read(); }
int smtpcore_dns_want_write(const smtpcore_dns_resolver* r) { return self(r)->engine.want_write(); }

int smtpcore_dns_want_random(const smtpcore_dns_resolver* r) { return self(r)->engine.want_random(); }
smtpcore_window smtpcore_dns_random_buf(smtpcore_dns_resolver* r) { return window(self(r)->engine.random_buf()); }
smtpcore_error_kind smtpcore_dns_random_ack(smtpcore_dns_resolver* r, size_t n) {
    return smtpcore_error_kind(self(r)->engine.random_ack(n).kind);
}

smtpcore_dns_event_type smtpcore_dns_next_event(smtpcore_dns_resolver* r, smtpcore_dns_event* out) {
    const dns::DnsEvent e = self(r)->engine.next_event();
    smtpcore_dns_event c{};
    c.struct_size = sizeof c;
    c.type = int32_t(e.type);
    c.outcome = int32_t(e.outcome);
    c.server = e.server;
    c.family = e.family;
    c.preference = e.preference;
    c.ttl = e.ttl;
    if (e.address)
        for (int i = 0; i < (e.family == 6 ? 16 : 4); ++i) c.address[i] = e.address[i];
    c.name = str(e.name);
    copy_out(c, out);
    return smtpcore_dns_event_type(e.type);
}

smtpcore_str smtpcore_dns_send_buf(const smtpcore_dns_resolver* r) {
    const Bytes b = self(r)->engine.send_buf();
    return smtpcore_str{b.data(), b.size()};
}
smtpcore_error_kind smtpcore_dns_send_ack(smtpcore_dns_resolver* r, size_t n) {
    return smtpcore_error_kind(self(r)->engine.send_ack(n).kind);
}
smtpcore_window smtpcore_dns_recv_buf(smtpcore_dns_resolver* r) { return window(self(r)->engine.recv_buf()); }
smtpcore_error_kind smtpcore_dns_datagram_received(smtpcore_dns_resolver* r, const smtpcore_dns_endpoint* source,
                                                   size_t n) {
    if (!source) return SMTPCORE_E_MISUSE;
    return smtpcore_error_kind(self(r)->engine.datagram_received(to_endpoint(*source), n).kind);
}
smtpcore_error_kind smtpcore_dns_recv_ack(smtpcore_dns_resolver* r, size_t n) {
    return smtpcore_error_kind(self(r)->engine.recv_ack(n).kind);
}
smtpcore_error_kind smtpcore_dns_stream_connected(smtpcore_dns_resolver* r) {
    return smtpcore_error_kind(self(r)->engine.stream_connected().kind);
}
void smtpcore_dns_connection_closed(smtpcore_dns_resolver* r) { self(r)->engine.connection_closed(); }

smtpcore_millis smtpcore_dns_deadline(const smtpcore_dns_resolver* r) { return self(r)->engine.deadline(); }
void smtpcore_dns_handle_timeout(smtpcore_dns_resolver* r, smtpcore_millis now) { self(r)->engine.handle_timeout(now); }

size_t smtpcore_dns_mx_list_size(size_t capacity) { return mx_header_size() + capacity * sizeof(dns::MxHost); }

smtpcore_error_kind smtpcore_dns_mx_list_init(void* storage, size_t storage_size, size_t capacity,
                                              smtpcore_dns_mx_list** list) {
    if (!list) return SMTPCORE_E_MISUSE;
    *list = nullptr;
    if (!storage || capacity == 0 || storage_size < smtpcore_dns_mx_list_size(capacity) || !aligned(storage))
        return SMTPCORE_E_MISUSE;
    // One placement new per host: an array placement new may ask for more room than capacity hosts.
    auto* hosts = reinterpret_cast<dns::MxHost*>(static_cast<char*>(storage) + mx_header_size());
    for (std::size_t i = 0; i < capacity; ++i) ::new (hosts + i) dns::MxHost();
    *list = reinterpret_cast<smtpcore_dns_mx_list*>(::new (storage) CMxList(Span<dns::MxHost>(hosts, capacity)));
    return SMTPCORE_OK;
}

void smtpcore_dns_mx_add(smtpcore_dns_mx_list* l, uint16_t preference, smtpcore_str exchange) {
    self(l)->list.add(preference, view(exchange));
}

smtpcore_dns_mx_verdict smtpcore_dns_mx_finish(smtpcore_dns_mx_list* l, int32_t outcome, smtpcore_str domain,
                                               smtpcore_str random) {
    if (outcome < SMTPCORE_DNS_PENDING || outcome > SMTPCORE_DNS_FAILED) outcome = SMTPCORE_DNS_FAILED;
    return smtpcore_dns_mx_verdict(
        self(l)->list.finish(dns::Outcome(outcome), view(domain), Bytes(random.data, random.data ? random.size : 0)));
}

size_t smtpcore_dns_mx_count(const smtpcore_dns_mx_list* l) { return self(l)->list.size(); }

smtpcore_str smtpcore_dns_mx_host(const smtpcore_dns_mx_list* l, size_t i, uint16_t* preference) {
    if (i >= self(l)->list.size()) return smtpcore_str{nullptr, 0};
    const dns::MxHost& h = self(l)->list[i];
    if (preference) *preference = h.preference;
    return str(h.host());
}

}  // extern "C"
