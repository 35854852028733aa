/* The C ABI from C99: dialogue transcripts replayed at several input and
 * acknowledgement splits with zero heap allocations, the storage contract,
 * the MIME writer (test_mime_writer.c) and versioned structs (an older caller's smaller struct is never
 * overrun). Built with -std=c99 -Wpedantic -Wall -Wextra -Werror by the C
 * compiler of each build tree (gcc and clang). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtpcore.h"
#include "checks.h"
#include "transcript_runner.h"

/* ---- counting allocations: this program's malloc family interposes the C
 * library's for every caller in the process, libsmtpcore and libstdc++
 * included (glibc exports the originals as __libc_*). */
extern void* __libc_malloc(size_t n);
extern void* __libc_calloc(size_t n, size_t size);
extern void* __libc_realloc(void* p, size_t n);
unsigned long allocations;
void* malloc(size_t n) {
    ++allocations;
    return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
    ++allocations;
    return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
    ++allocations;
    return __libc_realloc(p, n);
}

static int failures;
void check(const char* name, int ok) {
    printf("%s %s\n", ok ? "ok  " : "FAIL", name);
    if (!ok) ++failures;
}

static smtpcore_config plain_config(void) {
    smtpcore_config c;
    SMTPCORE_CONFIG_INIT(&c);
    c.client_name.data = "client.example";
    c.client_name.size = strlen(c.client_name.data);
    c.tls = SMTPCORE_TLS_NONE;
    return c;
}

/* RFC 5321 Appendix D.1 with PIPELINING (RFC 2920): one refused recipient,
 * dot-stuffing, bare LF and CR made CRLF. */
static const char* const kPipelined =
    "S: 220 mx.example ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250-mx.example\n"
    "S: 250-PIPELINING\n"
    "S: 250 ENHANCEDSTATUSCODES\n"
    "E: ready\n"
    "A: submit alice@example.org bob@example.net carol@example.net\n"
    "C: MAIL FROM:<alice@example.org>\n"
    "C: RCPT TO:<bob@example.net>\n"
    "C: RCPT TO:<carol@example.net>\n"
    "C: DATA\n"
    "S: 250 2.1.0 Ok\n"
    "S: 250 2.1.5 Ok\n"
    "S: 550 5.1.1 <carol@example.net>: User unknown\n"
    "S: 354 End data with <CR><LF>.<CR><LF>\n"
    "E: recipient 250 2.1.5 #0 bob@example.net\n"
    "E: recipient 550 5.1.1 #1 carol@example.net \"<carol@example.net>: User unknown\"\n"
    "E: body-wanted 354\n"
    "A: body Subject: hi\\r\\n\\r\\n.leading dot\\r\\nbare lf\\nbare cr\\rend\n"
    "C: Subject: hi\n"
    "C: \n"
    "C: ..leading dot\n"
    "C: bare lf\n"
    "C: bare cr\n"
    "A: body-end\n"
    "C: end\n"
    "C: .\n"
    "S: 250 2.0.0 Ok: queued as 4FQ1x2\n"
    "E: message-accepted 250 2.0.0 \"Ok: queued as 4FQ1x2\"\n"
    "E: ready\n"
    "A: quit\n"
    "C: QUIT\n"
    "S: 221 2.0.0 Bye\n"
    "E: closed 221 2.0.0\n";

/* The opening two dialogues share: PIPELINING, one message to
 * b@example.net, up to its 354. */
#define PIPELINED_TO_BODY \
    "S: 220 mx ESMTP\n" \
    "E: greeting 220\n" \
    "C: EHLO client.example\n" \
    "S: 250-mx\n" \
    "S: 250 PIPELINING\n" \
    "E: ready\n" \
    "A: submit a@example.org b@example.net\n" \
    "C: MAIL FROM:<a@example.org>\n" \
    "C: RCPT TO:<b@example.net>\n" \
    "C: DATA\n" \
    "S: 250 ok\n" \
    "S: 250 ok\n" \
    "S: 354 go\n" \
    "E: recipient 250 #0 b@example.net\n" \
    "E: body-wanted 354\n"

/* Submit ahead (RFC 2920 §3.1): the second message's MAIL, RCPT and DATA
 * follow the first's end-of-data marker in the same flight; outcomes come
 * in order, one per message, and no READY comes between them. */
static const char* const kSubmitAhead =
    PIPELINED_TO_BODY
    "A: body one\r\n\n"
    "A: body-end\n"
    "A: submit a@example.org c@example.net\n"
    "C: one\n"
    "C: .\n"
    "C: MAIL FROM:<a@example.org>\n"
    "C: RCPT TO:<c@example.net>\n"
    "C: DATA\n"
    "S: 250 queued 1\n"
    "S: 250 ok\n"
    "S: 250 ok\n"
    "S: 354 go\n"
    "E: message-accepted 250 \"queued 1\"\n"
    "E: recipient 250 #0 c@example.net\n"
    "E: body-wanted 354\n"
    "A: body two\r\n\n"
    "A: body-end\n"
    "C: two\n"
    "C: .\n"
    "S: 250 queued 2\n"
    "E: message-accepted 250 \"queued 2\"\n"
    "E: ready\n";

/* RFC 3207 and RFC 4954: STARTTLS, capabilities forgotten, AUTH PLAIN. */
static const char* const kStartTlsAuth =
    "S: 220 mx.example ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250-mx.example\n"
    "S: 250 STARTTLS\n"
    "C: STARTTLS\n"
    "S: 220 2.0.0 Ready to start TLS\n"
    "E: start-tls 220 2.0.0\n"
    "A: tls\n"
    "C: EHLO client.example\n"
    "S: 250-mx.example\n"
    "S: 250 AUTH PLAIN LOGIN\n"
    "C: AUTH PLAIN AHVzZXIAc2VjcmV0\n"
    "S: 235 2.7.0 Authentication successful\n"
    "E: authenticated 235 2.7.0\n"
    "E: ready\n"
    "A: submit alice@example.org bob@example.net\n"
    "C: MAIL FROM:<alice@example.org>\n"
    "S: 250 2.1.0 Ok\n"
    "C: RCPT TO:<bob@example.net>\n"
    "S: 250 2.1.5 Ok\n"
    "E: recipient 250 2.1.5 #0 bob@example.net\n"
    "C: DATA\n"
    "S: 354 go ahead\n"
    "E: body-wanted 354\n"
    "A: body hello\\r\\n\n"
    "A: body-end\n"
    "C: hello\n"
    "C: .\n"
    "S: 250 2.0.0 queued\n"
    "E: message-accepted 250 2.0.0\n"
    "E: ready\n";

/* RFC 5321 §6.1: the connection dies after end of data; the message may
 * have been delivered, so its outcome is unknown, never "not sent". */
static const char* const kLostAfterData =
    PIPELINED_TO_BODY
    "A: body x\\r\\n\n"
    "A: body-end\n"
    "C: x\n"
    "C: .\n"
    "A: close\n"
    "E: message-unknown\n"
    "E: error [connection-lost]\n";

/* Refusals at the boundary: misuse before Ready, an address that would
 * smuggle a command (no byte is sent), TLS required but not offered. */
static const char* const kRefusals =
    "A: submit a@example.org b@example.net\n"
    "R: misuse\n"
    "S: 220 mx ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250 mx\n"
    "E: ready\n"
    "A: submit a@example.org b@example.net\\r\\nRSET\n"
    "R: invalid-input\n"
    "A: quit\n"
    "C: QUIT\n"
    "S: 221 bye\n"
    "E: closed 221\n";

/* smtpcore_cancel() after MAIL left (no PIPELINING): RSET clears the
 * server's transaction (RFC 5321 §4.1.1.5) and the session goes on. */
static const char* const kCancel =
    "S: 220 mx ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250 mx\n"
    "E: ready\n"
    "A: submit a@example.org b@example.net\n"
    "C: MAIL FROM:<a@example.org>\n"
    "A: cancel\n"
    "S: 250 2.1.0 Ok\n"
    "C: RSET\n"
    "S: 250 2.0.0 Ok\n"
    "E: message-rejected permanent\n"
    "E: ready\n"
    "A: quit\n"
    "C: QUIT\n"
    "S: 221 bye\n"
    "E: closed 221\n";

static const char* const kTlsNotOffered =
    "S: 220 mx ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250 mx\n"
    "E: error [tls-required]\n"
    "C: QUIT\n";

/* RFC 5321 §4.5.3.2.1: five minutes for the greeting; time is an input
 * (the runner says "time 0" when it creates the client). */
static const char* const kGreetingTimeout =
    "A: time 1000\n"
    "A: time 299999\n"
    "A: time 300000\n"
    "E: error [timeout]\n";

void replay(const char* name, const smtpcore_config* config, const char* transcript) {
    static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 13, 64};
    size_t i;
    int bad = 0;
    unsigned long before = allocations;
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; ++i) bad |= replay_transcript(name, config, transcript, chunks[i]);
    {
        char label[160];
        snprintf(label, sizeof label, "%s: replayed at 8 input/ack splits", name);
        check(label, !bad);
        snprintf(label, sizeof label, "%s: zero allocations", name);
        check(label, allocations == before);
    }
}

/* The mechanisms beyond PLAIN and LOGIN through the appended config fields:
 * the RFC 7677 §3 SCRAM-SHA-256 exchange (sasl_random gives its nonce), and
 * the XOAUTH2 error flow with oauth_token (RFC 7628 §3.2.2 status). */
#define STARTTLS_THEN_AUTH(mechanisms)                     \
    "S: 220 mx.example ESMTP\n"                            \
    "E: greeting 220\n"                                    \
    "C: EHLO client.example\n"                             \
    "S: 250-mx.example\n"                                  \
    "S: 250 STARTTLS\n"                                    \
    "C: STARTTLS\n"                                        \
    "S: 220 2.0.0 Ready to start TLS\n"                    \
    "E: start-tls 220 2.0.0\n"                             \
    "A: tls\n"                                             \
    "C: EHLO client.example\n"                             \
    "S: 250-mx.example\n"                                  \
    "S: 250 AUTH " mechanisms "\n"
static const char* const kScram =
    STARTTLS_THEN_AUTH("PLAIN SCRAM-SHA-256")
    "C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\n"
    "S: 334 cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\n"
    "C: Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==\n"
    "S: 334 dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\n"
    "C: \n"
    "S: 235 2.7.0 ok\n"
    "E: authenticated 235 2.7.0\n"
    "E: ready\n";
static const char* const kXoauth2Refused =
    STARTTLS_THEN_AUTH("PLAIN XOAUTH2")
    "C: AUTH XOAUTH2 dXNlcj11c2VyAWF1dGg9QmVhcmVyIHlhMjkudG9rZW4BAQ==\n"
    "S: 334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=\n"
    "C: \n"
    "S: 535 5.7.8 bad token\n"
    "E: error 535 5.7.8 [auth-failed]\n" /* the runner cannot match a text with a line break */
    "C: QUIT\n";

static void test_sasl_mechanisms(void) {
    /* RFC 7677 §3: the client nonce "rOprNGfwEbeRWgbNEkqO" is the base64 of these. */
    static const char random[] = "\xac\xea\x6b\x34\x67\xf0\x11\xb7\x91\x5a\x06\xcd\x12\x4a\x8e";
    smtpcore_config scram = plain_config();
    scram.tls = SMTPCORE_TLS_STARTTLS_REQUIRED;
    scram.username.data = "user";
    scram.username.size = 4;
    scram.password.data = "pencil";
    scram.password.size = 6;
    scram.sasl_random.data = random;
    scram.sasl_random.size = 15;
    replay("scram-sha-256", &scram, kScram);

    smtpcore_config token = plain_config();
    token.tls = SMTPCORE_TLS_STARTTLS_REQUIRED;
    token.username = scram.username;
    token.oauth_token.data = "ya29.token";
    token.oauth_token.size = 10;
    token.auth = SMTPCORE_AUTH_XOAUTH2;
    replay("xoauth2 refused", &token, kXoauth2Refused);

    /* A forced token mechanism without a token: refused, nothing sent. */
    token.oauth_token.size = 0;
    static union {
        long double align;
        unsigned char bytes[8192];
    } storage;
    smtpcore_client* client = NULL;
    check("xoauth2 without a token is misuse",
          smtpcore_client_size(&token) <= sizeof storage.bytes &&
              smtpcore_client_init(storage.bytes, sizeof storage.bytes, &token, &client) == SMTPCORE_E_MISUSE &&
              client != NULL &&
              smtpcore_send_buf(client).size == 0);
}

static void test_transcripts(void) {
    smtpcore_config plain = plain_config();
    smtpcore_config tls = plain_config();
    tls.tls = SMTPCORE_TLS_STARTTLS_REQUIRED;
    tls.username.data = "user";
    tls.username.size = 4;
    tls.password.data = "secret";
    tls.password.size = 6;
    replay("pipelined session", &plain, kPipelined);
    replay("starttls + auth plain", &tls, kStartTlsAuth);
    replay("lost after end of data", &plain, kLostAfterData);
    replay("refusals", &plain, kRefusals);
    replay("cancel after MAIL", &plain, kCancel);
    replay("submit ahead", &plain, kSubmitAhead);
    tls.username.size = tls.password.size = 0;
    replay("tls required, not offered", &tls, kTlsNotOffered);
    replay("greeting timeout", &plain, kGreetingTimeout);
}

static void test_counter_counts(void) {
    /* The zero-allocation checks mean something only if a call is seen. */
    void* (*volatile get)(size_t) = malloc;
    unsigned long before = allocations;
    void* p = get(32);
    check("the allocation counter sees malloc", allocations == before + 1);
    free(p);
}

static void test_storage_contract(void) {
    static union {
        long double align;
        unsigned char bytes[8192];
    } storage;
    unsigned char* base = storage.bytes + (16 - (uintptr_t)storage.bytes % 16) % 16;
    smtpcore_config c = plain_config();
    smtpcore_client* client = (smtpcore_client*)1;
    size_t size = smtpcore_client_size(&c);
    check("client_size is positive and fits the test storage", size > 0 && size <= 8000);
    check("too small storage: misuse, no client",
          smtpcore_client_init(base, size - 1, &c, &client) == SMTPCORE_E_MISUSE && client == NULL);
    check("misaligned storage: misuse", smtpcore_client_init(base + 1, size, &c, &client) == SMTPCORE_E_MISUSE);
    check("NULL config: size 0", smtpcore_client_size(NULL) == 0);
    check("exact storage: a client in the greeting state",
          smtpcore_client_init(base, size, &c, &client) == SMTPCORE_OK && client != NULL &&
              smtpcore_get_state(client) == SMTPCORE_STATE_GREETING);
    check("no submit before the greeting", client != NULL && !smtpcore_can_submit(client));
    c.tls = SMTPCORE_TLS_OPPORTUNISTIC;
    c.username.data = "u";
    c.username.size = 1;
    c.password = c.username;
    check("credentials with opportunistic TLS: a failed client, misuse",
          smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) == SMTPCORE_E_MISUSE &&
              smtpcore_get_state(client) == SMTPCORE_STATE_FAILED &&
              smtpcore_last_error(client).kind == SMTPCORE_E_MISUSE);
}

static void test_versioned_structs(void) {
    static union {
        long double align;
        unsigned char bytes[8192];
    } storage;
    unsigned char* base = storage.bytes + (16 - (uintptr_t)storage.bytes % 16) % 16;
    smtpcore_config full = plain_config(), old;
    smtpcore_client* client = NULL;
    struct {
        smtpcore_event event;
        unsigned char guard[sizeof(smtpcore_event)];
    } small;
    size_t old_size = offsetof(smtpcore_event, recipient);

    /* A config from an older header ends before max_recipients_in_flight:
     * the library uses the default for it. */
    memset(&old, 0x5a, sizeof old);
    smtpcore_config_init(&old, offsetof(smtpcore_config, max_recipients_in_flight));
    old.client_name = full.client_name;
    old.tls = SMTPCORE_TLS_NONE;
    check("config_init writes only the caller's struct_size",
          ((unsigned char*)&old)[offsetof(smtpcore_config, max_recipients_in_flight)] == 0x5a);
    check("an older config gets the default for newer fields", smtpcore_client_size(&old) == smtpcore_client_size(&full));

    /* An event struct from an older header: nothing past its size is written. */
    smtpcore_client_init(base, smtpcore_client_size(&full), &full, &client);
    smtpcore_feed(client, "220 mx ESMTP\r\n", 14);
    memset(&small, 0xa5, sizeof small);
    small.event.struct_size = (uint32_t)old_size;
    check("next_event fills an older, smaller event",
          smtpcore_next_event(client, &small.event) == SMTPCORE_EVENT_GREETING && small.event.code == 220);
    check("... and writes nothing past its struct_size",
          ((unsigned char*)&small.event)[old_size] == 0xa5 && small.guard[0] == 0xa5 &&
              small.event.struct_size == old_size);
}

static void test_names(void) {
    check("strerror describes every kind", strcmp(smtpcore_strerror(SMTPCORE_E_TIMEOUT), "unknown error") != 0 &&
                                               strcmp(smtpcore_strerror(999), "unknown error") == 0);
    check("error names", strcmp(smtpcore_error_name(SMTPCORE_E_PEER_VIOLATION), "peer-violation") == 0);
    check("event names", strcmp(smtpcore_event_name(SMTPCORE_EVENT_MESSAGE_UNKNOWN), "message-unknown") == 0);
    check("state names", strcmp(smtpcore_state_name(SMTPCORE_STATE_READY), "ready") == 0);
    check("the C ABI version", smtpcore_c_abi_version() == SMTPCORE_C_ABI_VERSION);
    check("the library version", smtpcore_version()[0] >= '0' && smtpcore_version()[0] <= '9');
}

int main(void) {
    test_counter_counts();
    test_transcripts();
    test_sasl_mechanisms();
    test_storage_contract();
    test_versioned_structs();
    test_names();
    test_mime_writer();
    test_dns();
    test_envelope_extensions();
    test_chunking();
    test_lmtp();
    if (failures) {
        printf("%d failed\n", failures);
        return 1;
    }
    printf("all passed\n");
    return 0;
}
