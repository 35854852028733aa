/* The C ABI's DNS resolver and MX list from C99, over hand-written packets:
 * the query on the wire, an answer from the wrong port ignored and the right
 * one taken, the timeout moving to the next server, the storage contract,
 * an older caller's smaller event struct, MX order and the null MX; zero
 * allocations throughout (test_c_abi.c counts them). */
#include <stdint.h>
#include <string.h>

#include "smtpcore.h"
#include "checks.h"

static smtpcore_str cstr(const char* s) {
    smtpcore_str r;
    r.data = s;
    r.size = strlen(s);
    return r;
}

static smtpcore_dns_endpoint loopback(uint16_t port) {
    smtpcore_dns_endpoint e;
    memset(&e, 0, sizeof e);
    e.family = 4;
    e.port = port;
    e.address[0] = 127;
    e.address[3] = 1;
    return e;
}

/* Storage for one resolver with the default receive buffer, aligned to 16 by aligned(). */
static union {
    long double align;
    char bytes[4096 + 16];
} raw_a, raw_b, raw_mx;
#define STORAGE 4096

static char* aligned(char* p) { return p + (16 - (uintptr_t)p % 16) % 16; }

static smtpcore_dns_resolver* make(const smtpcore_dns_endpoint* servers, size_t n, uint32_t timeout, char* storage) {
    smtpcore_dns_config config;
    smtpcore_dns_resolver* r = NULL;
    SMTPCORE_DNS_CONFIG_INIT(&config);
    config.servers = servers;
    config.server_count = n;
    config.timeout = timeout;
    config.attempts = 1;
    if (smtpcore_dns_resolver_size(&config) > STORAGE) return NULL;
    if (smtpcore_dns_resolver_init(storage, STORAGE, &config, &r) != SMTPCORE_OK) return NULL;
    return r;
}

/* Fills the random pool with 0x12, 0x34, 0x56, ...: the ID is 0x1234. */
static void give_random(smtpcore_dns_resolver* r) {
    smtpcore_window w = smtpcore_dns_random_buf(r);
    size_t i;
    for (i = 0; i < w.size; ++i) w.data[i] = (char)(0x12 + 0x22 * i);
    smtpcore_dns_random_ack(r, w.size);
}

/* The answer to `query`: its header and question, QR RD RA, one A record
 * (a pointer to the question's name) of 192.0.2.7, TTL 60. */
static size_t answer_for(const char* query, size_t qname_octets, char* out) {
    static const unsigned char record[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7};
    const size_t question_end = 12 + qname_octets + 4;
    memcpy(out, query, question_end);
    out[2] = (char)0x81;
    out[3] = (char)0x80;
    out[6] = 0, out[7] = 1;   /* ANCOUNT 1 */
    out[8] = 0, out[9] = 0;   /* NSCOUNT */
    out[10] = 0, out[11] = 0; /* ARCOUNT: no OPT in this answer */
    memcpy(out + question_end, record, sizeof record);
    return question_end + sizeof record;
}

static void test_dns_answer(void) {
    static const char qname[] = "\4host\7example";  /* + the root's 0 */
    const smtpcore_dns_endpoint servers[2] = {loopback(5353), loopback(5354)};
    smtpcore_dns_resolver* r = make(servers, 2, 1000, aligned(raw_a.bytes));
    smtpcore_dns_event ev;
    smtpcore_dns_endpoint wrong = loopback(5399);
    char answer[512];
    size_t n;
    smtpcore_str q;
    smtpcore_window w;
    const unsigned long before = allocations;
    check("dns: a resolver is built", r != NULL);
    if (!r) return;
    SMTPCORE_DNS_EVENT_INIT(&ev);
    check("dns: start A", smtpcore_dns_start(r, cstr("host.example"), SMTPCORE_DNS_A) == SMTPCORE_OK);
    smtpcore_dns_handle_timeout(r, 1000);
    check("dns: random octets wanted first", smtpcore_dns_want_random(r) &&
                                                 smtpcore_dns_next_event(r, &ev) == SMTPCORE_DNS_EVENT_NONE);
    give_random(r);
    check("dns: the query goes to server 0",
          smtpcore_dns_next_event(r, &ev) == SMTPCORE_DNS_EVENT_SEND_DATAGRAM && ev.server == 0);
    q = smtpcore_dns_send_buf(r);
    check("dns: the ID comes from the random octets", q.size > 30 && (unsigned char)q.data[0] == 0x12 &&
                                                           (unsigned char)q.data[1] == 0x34);
    check("dns: the question is host.example A IN", memcmp(q.data + 12, qname, sizeof qname) == 0 &&
                                                        q.data[12 + sizeof qname + 1] == 1);
    n = answer_for(q.data, sizeof qname, answer);
    check("dns: send_ack of the whole datagram", smtpcore_dns_send_ack(r, q.size) == SMTPCORE_OK);
    check("dns: deadline is one timeout later", smtpcore_dns_deadline(r) == 2000);
    /* The same answer from another port (RFC 5452 §9.1): dropped. */
    w = smtpcore_dns_recv_buf(r);
    memcpy(w.data, answer, n);
    smtpcore_dns_datagram_received(r, &wrong, n);
    check("dns: an answer from the wrong port is ignored",
          smtpcore_dns_next_event(r, &ev) == SMTPCORE_DNS_EVENT_NONE && smtpcore_dns_ignored(r) == 1);
    w = smtpcore_dns_recv_buf(r);
    memcpy(w.data, answer, n);
    smtpcore_dns_datagram_received(r, &servers[0], n);
    check("dns: the address", smtpcore_dns_next_event(r, &ev) == SMTPCORE_DNS_EVENT_ADDRESS && ev.family == 4 &&
                                  ev.address[0] == 192 && ev.address[3] == 7 && ev.ttl == 60);
    check("dns: done, answer, the name", smtpcore_dns_next_event(r, &ev) == SMTPCORE_DNS_EVENT_DONE &&
                                             ev.outcome == SMTPCORE_DNS_ANSWER && ev.name.size == 12 &&
                                             memcmp(ev.name.data, "host.example", 12) == 0);
    check("dns: state and outcome", smtpcore_dns_get_state(r) == SMTPCORE_DNS_STATE_DONE &&
                                        smtpcore_dns_get_outcome(r) == SMTPCORE_DNS_ANSWER);
    check("dns: outcome names", strcmp(smtpcore_dns_outcome_name(SMTPCORE_DNS_NXDOMAIN), "nxdomain") == 0);
    check("dns: no allocation", allocations == before);
}

static void test_dns_timeout_and_structs(void) {
    const smtpcore_dns_endpoint servers[2] = {loopback(5353), loopback(5354)};
    smtpcore_dns_resolver* r = make(servers, 2, 300, aligned(raw_b.bytes));
    smtpcore_dns_event old;
    if (!r) {
        check("dns: a second resolver is built", 0);
        return;
    }
    /* An older caller whose event ends before `name`: nothing written past it. */
    memset(&old, 0x5a, sizeof old);
    old.struct_size = (uint32_t)offsetof(smtpcore_dns_event, name);
    smtpcore_dns_start(r, cstr("host.example"), SMTPCORE_DNS_AAAA);
    smtpcore_dns_handle_timeout(r, 0);
    give_random(r);
    smtpcore_dns_next_event(r, &old);
    check("dns: a smaller event struct is not overrun",
          old.type == SMTPCORE_DNS_EVENT_SEND_DATAGRAM && old.name.size == (size_t)0x5a5a5a5a5a5a5a5aull);
    smtpcore_dns_send_ack(r, smtpcore_dns_send_buf(r).size);
    smtpcore_dns_handle_timeout(r, 300);
    if (smtpcore_dns_want_random(r)) give_random(r);
    smtpcore_dns_event_init(&old, sizeof old);
    check("dns: after the timeout the next server is asked",
          smtpcore_dns_next_event(r, &old) == SMTPCORE_DNS_EVENT_SEND_DATAGRAM && old.server == 1);
    smtpcore_dns_send_ack(r, smtpcore_dns_send_buf(r).size);
    smtpcore_dns_handle_timeout(r, 600);
    check("dns: the last try timing out ends it",
          smtpcore_dns_next_event(r, &old) == SMTPCORE_DNS_EVENT_DONE && old.outcome == SMTPCORE_DNS_TIMEOUT &&
              smtpcore_dns_last_error(r).kind == SMTPCORE_E_TIMEOUT);
}

static void test_dns_storage_contract(void) {
    smtpcore_dns_endpoint many[SMTPCORE_DNS_MAX_SERVERS + 1];
    smtpcore_dns_config config;
    smtpcore_dns_resolver* r = NULL;
    size_t i;
    for (i = 0; i < SMTPCORE_DNS_MAX_SERVERS + 1; ++i) many[i] = loopback(53);
    SMTPCORE_DNS_CONFIG_INIT(&config);
    check("dns: resolv.conf defaults", config.timeout == 5000 && config.attempts == 2 && config.tcp_fallback == 1 &&
                                           config.edns_udp_size == 1232 && config.receive_capacity == 2 + 1232);
    check("dns: no servers: misuse",
          smtpcore_dns_resolver_init(aligned(raw_a.bytes), STORAGE, &config, &r) == SMTPCORE_E_MISUSE && !r);
    config.servers = many;
    config.server_count = SMTPCORE_DNS_MAX_SERVERS + 1;
    check("dns: too many servers: misuse",
          smtpcore_dns_resolver_init(aligned(raw_a.bytes), STORAGE, &config, &r) == SMTPCORE_E_MISUSE);
    config.server_count = 1;
    check("dns: misaligned storage: misuse",
          smtpcore_dns_resolver_init(aligned(raw_a.bytes) + 1, STORAGE - 1, &config, &r) == SMTPCORE_E_MISUSE);
    check("dns: short storage: misuse",
          smtpcore_dns_resolver_init(aligned(raw_a.bytes), smtpcore_dns_resolver_size(&config) - 1, &config, &r) ==
              SMTPCORE_E_MISUSE);
    config.timeout = 0;
    check("dns: zero timeout: misuse",
          smtpcore_dns_resolver_init(aligned(raw_a.bytes), STORAGE, &config, &r) == SMTPCORE_E_MISUSE && !r);
    config.timeout = 5000;
    check("dns: built", smtpcore_dns_resolver_init(aligned(raw_a.bytes), STORAGE, &config, &r) == SMTPCORE_OK);
    check("dns: a bad type is misuse", smtpcore_dns_start(r, cstr("a.example"), 5) == SMTPCORE_E_MISUSE);
    check("dns: a bad name is invalid input", smtpcore_dns_start(r, cstr("a..example"), SMTPCORE_DNS_A) ==
                                                  SMTPCORE_E_INVALID_INPUT);
}

static void test_dns_mx(void) {
    char* storage = aligned(raw_mx.bytes);
    smtpcore_dns_mx_list* list = NULL;
    uint16_t preference = 0;
    smtpcore_str host;
    check("dns mx: storage for 8 hosts fits", smtpcore_dns_mx_list_size(8) <= STORAGE);
    check("dns mx: built", smtpcore_dns_mx_list_init(storage, STORAGE, 8, &list) == SMTPCORE_OK);
    smtpcore_dns_mx_add(list, 20, cstr("b.example"));
    smtpcore_dns_mx_add(list, 10, cstr("a.example"));
    check("dns mx: hosts", smtpcore_dns_mx_finish(list, SMTPCORE_DNS_ANSWER, cstr("example"), cstr("")) ==
                               SMTPCORE_DNS_MX_HOSTS && smtpcore_dns_mx_count(list) == 2);
    host = smtpcore_dns_mx_host(list, 0, &preference);
    check("dns mx: lowest preference first", preference == 10 && host.size == 9 && memcmp(host.data, "a.example", 9) == 0);
    check("dns mx: past the end is empty", smtpcore_dns_mx_host(list, 2, NULL).size == 0);
    smtpcore_dns_mx_list_init(storage, STORAGE, 8, &list);
    smtpcore_dns_mx_add(list, 0, cstr("."));
    check("dns mx: null MX: no mail", smtpcore_dns_mx_finish(list, SMTPCORE_DNS_ANSWER, cstr("example"), cstr("")) ==
                                          SMTPCORE_DNS_MX_NO_MAIL);
    smtpcore_dns_mx_list_init(storage, STORAGE, 8, &list);
    check("dns mx: no MX records: implicit MX",
          smtpcore_dns_mx_finish(list, SMTPCORE_DNS_NODATA, cstr("example"), cstr("")) == SMTPCORE_DNS_MX_IMPLICIT &&
              smtpcore_dns_mx_count(list) == 1);
}

void test_dns(void) {
    test_dns_answer();
    test_dns_timeout_and_structs();
    test_dns_storage_contract();
    test_dns_mx();
}
