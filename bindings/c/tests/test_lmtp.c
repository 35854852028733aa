/* LMTP (RFC 2033) through the C ABI: smtpcore_config.protocol LMTP sends
 * LHLO, and after the end of data each recipient accepted at RCPT gets its
 * own RECIPIENT_OUTCOME event (index, address, code) before the message's
 * outcome, whose accepted_recipients counts those that took it. A config
 * from an older header (no protocol field) speaks SMTP; a value outside the
 * enumeration is refused at init. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "smtpcore.h"

#define LHLO_READY                  \
    "S: 220 store.example LMTP\n"   \
    "E: greeting 220\n"             \
    "C: LHLO client.example\n"      \
    "S: 250-store.example\n"        \
    "S: 250 PIPELINING\n"           \
    "E: ready\n"

/* Three recipients, the second refused at RCPT; after the dot one 250 and one 452. */
static const char* const kPerRecipient =
    LHLO_READY
    "A: submit a@example.org b@example.net c@example.net d@example.net\n"
    "C: MAIL FROM:<a@example.org>\n"
    "C: RCPT TO:<b@example.net>\n"
    "C: RCPT TO:<c@example.net>\n"
    "C: RCPT TO:<d@example.net>\n"
    "C: DATA\n"
    "S: 250 ok\n"
    "S: 250 ok\n"
    "S: 550 5.1.1 no such user\n"
    "S: 250 ok\n"
    "S: 354 go\n"
    "E: recipient 250 #0 b@example.net\n"
    "E: recipient 550 5.1.1 #1 c@example.net\n"
    "E: recipient 250 #2 d@example.net\n"
    "E: body-wanted 354\n"
    "A: body hello\\r\\n\n"
    "A: body-end\n"
    "C: hello\n"
    "C: .\n"
    "S: 250 2.0.0 saved\n"
    "S: 452 4.2.2 mailbox full\n"
    "E: recipient-outcome 250 2.0.0 #0 b@example.net\n"
    "E: recipient-outcome 452 4.2.2 temporary #2 d@example.net\n"
    "E: message-accepted 250 2.0.0\n"
    "E: ready\n"
    "A: quit\n"
    "C: QUIT\n"
    "S: 221 bye\n"
    "E: closed 221\n";

/* The same server greeting with an older config: EHLO, SMTP. */
static const char* const kOldConfigSmtp =
    "S: 220 mx ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250 mx\n"
    "E: ready\n"
    "A: quit\n"
    "C: QUIT\n"
    "S: 221 bye\n"
    "E: closed 221\n";

static smtpcore_config lmtp_config(void) {
    smtpcore_config c;
    SMTPCORE_CONFIG_INIT(&c);
    c.client_name.data = "client.example";
    c.client_name.size = strlen(c.client_name.data);
    c.tls = SMTPCORE_TLS_NONE;
    c.protocol = SMTPCORE_PROTOCOL_LMTP;
    return c;
}

/* Pulls every event (counting the LMTP ones) and hands out the output, as a host loop does. */
static void drain(smtpcore_client* client, int* outcomes, long* accepted) {
    smtpcore_event ev;
    smtpcore_str out;
    SMTPCORE_EVENT_INIT(&ev);
    while (smtpcore_next_event(client, &ev) != SMTPCORE_EVENT_NONE) {
        if (ev.type == SMTPCORE_EVENT_RECIPIENT_OUTCOME) ++*outcomes;
        if (ev.type == SMTPCORE_EVENT_MESSAGE_ACCEPTED) *accepted = (long)ev.accepted_recipients;
    }
    out = smtpcore_send_buf(client);
    smtpcore_send_ack(client, out.size);
}

static void feed(smtpcore_client* client, const char* text, int* outcomes, long* accepted) {
    size_t done = 0, n = strlen(text);
    while (done < n) {
        const size_t took = smtpcore_feed(client, text + done, n - done);
        done += took;
        drain(client, outcomes, accepted);
        if (took == 0) return;
    }
}

/* Drives the dialogue above by hand and returns the outcome's accepted_recipients (or -1). */
static long accepted_after_the_dot(unsigned char* base) {
    static const smtpcore_str to[] = {{"b@example.net", 13}, {"c@example.net", 13}, {"d@example.net", 13}};
    smtpcore_config c = lmtp_config();
    smtpcore_client* client = NULL;
    smtpcore_envelope mail;
    smtpcore_window w;
    long accepted = -1;
    int outcomes = 0;
    if (smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) != SMTPCORE_OK) return -1;
    SMTPCORE_ENVELOPE_INIT(&mail);
    mail.from.data = "a@example.org";
    mail.from.size = 13;
    mail.recipients = to;
    mail.recipient_count = 3;
    feed(client, "220 store\r\n", &outcomes, &accepted);
    feed(client, "250-store\r\n250 PIPELINING\r\n", &outcomes, &accepted);
    if (smtpcore_submit(client, &mail) != SMTPCORE_OK) return -1;
    drain(client, &outcomes, &accepted);
    feed(client, "250 ok\r\n250 ok\r\n550 no\r\n250 ok\r\n354 go\r\n", &outcomes, &accepted);
    w = smtpcore_body_buf(client);
    if (w.size < 7) return -1;
    memcpy(w.data, "hello\r\n", 7);
    smtpcore_body_ack(client, 7);
    smtpcore_body_end(client);
    drain(client, &outcomes, &accepted);
    feed(client, "250 saved\r\n452 full\r\n", &outcomes, &accepted);
    return outcomes == 2 ? accepted : -1;
}

/* The same three recipients, all accepted, and the connection lost after the
 * first reply: the unknown outcome's unknown_recipients (or -1). */
static long unknown_after_the_first_reply(unsigned char* base) {
    static const smtpcore_str to[] = {{"b@example.net", 13}, {"c@example.net", 13}, {"d@example.net", 13}};
    smtpcore_config c = lmtp_config();
    smtpcore_client* client = NULL;
    smtpcore_envelope mail;
    smtpcore_event ev;
    smtpcore_window w;
    long accepted = -1, unknown = -1;
    int outcomes = 0;
    if (smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) != SMTPCORE_OK) return -1;
    SMTPCORE_ENVELOPE_INIT(&mail);
    mail.from.data = "a@example.org";
    mail.from.size = 13;
    mail.recipients = to;
    mail.recipient_count = 3;
    feed(client, "220 store\r\n", &outcomes, &accepted);
    feed(client, "250-store\r\n250 PIPELINING\r\n", &outcomes, &accepted);
    if (smtpcore_submit(client, &mail) != SMTPCORE_OK) return -1;
    drain(client, &outcomes, &accepted);
    feed(client, "250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n", &outcomes, &accepted);
    w = smtpcore_body_buf(client);
    if (w.size < 7) return -1;
    memcpy(w.data, "hello\r\n", 7);
    smtpcore_body_ack(client, 7);
    smtpcore_body_end(client);
    drain(client, &outcomes, &accepted);
    feed(client, "250 saved\r\n", &outcomes, &accepted);
    smtpcore_connection_closed(client);
    SMTPCORE_EVENT_INIT(&ev);
    while (smtpcore_next_event(client, &ev) != SMTPCORE_EVENT_NONE)
        if (ev.type == SMTPCORE_EVENT_MESSAGE_UNKNOWN && ev.accepted_recipients == 1) unknown = (long)ev.unknown_recipients;
    return outcomes == 1 ? unknown : -1;
}

void test_lmtp(void) {
    static union {
        long double align;
        unsigned char bytes[8192];
    } storage;
    unsigned char* base = storage.bytes + (16 - (uintptr_t)storage.bytes % 16) % 16;
    smtpcore_config c = lmtp_config(), old;
    smtpcore_client* client = NULL;

    replay("lmtp: LHLO, one reply per accepted recipient after the dot", &c, kPerRecipient);
    check("lmtp: the outcome says 1 recipient took it", accepted_after_the_dot(base) == 1);
    check("lmtp: lost after the first of three replies: 2 unknown", unknown_after_the_first_reply(base) == 2);

    SMTPCORE_CONFIG_INIT(&old);
    check("protocol defaults to SMTP", old.protocol == SMTPCORE_PROTOCOL_SMTP);
    memcpy(&old, &c, sizeof old);
    old.struct_size = (uint32_t)offsetof(smtpcore_config, protocol);
    replay("a config without the protocol field: SMTP (EHLO)", &old, kOldConfigSmtp);

    c.protocol = 2;
    check("protocol outside the enumeration: misuse, no client",
          smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) == SMTPCORE_E_MISUSE && client == NULL);
    c = lmtp_config();
    c.chunking = SMTPCORE_CHUNKING_ALWAYS;
    check("lmtp with chunking ALWAYS: misuse at init",
          smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) == SMTPCORE_E_MISUSE);
}
