/* DSN (RFC 3461) and REQUIRETLS (RFC 8689) through the C ABI: the envelope's
 * appended fields reach the wire, a refusal sends nothing, an envelope from an
 * older header (no DSN fields) sends none, and dsn_dropped reaches the event. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "smtpcore.h"

static union {
    long double align;
    unsigned char bytes[8192];
} storage;

/* A client past the greeting and EHLO, with `ehlo` as the last EHLO line. */
static smtpcore_client* ready_client(const char* ehlo) {
    unsigned char* base = storage.bytes + (16 - (uintptr_t)storage.bytes % 16) % 16;
    smtpcore_config c;
    smtpcore_client* client = NULL;
    smtpcore_event ev;
    char reply[256];
    smtpcore_str out;
    SMTPCORE_CONFIG_INIT(&c);
    c.client_name.data = "client.example";
    c.client_name.size = strlen(c.client_name.data);
    c.tls = SMTPCORE_TLS_NONE;
    smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client);
    smtpcore_feed(client, "220 mx\r\n", 8);
    SMTPCORE_EVENT_INIT(&ev);
    while (smtpcore_next_event(client, &ev) != SMTPCORE_EVENT_NONE) {}
    out = smtpcore_send_buf(client);
    smtpcore_send_ack(client, out.size);
    snprintf(reply, sizeof reply, "250-mx\r\n250-PIPELINING\r\n250 %s\r\n", ehlo);
    smtpcore_feed(client, reply, strlen(reply));
    while (smtpcore_next_event(client, &ev) != SMTPCORE_EVENT_NONE) {}
    return client;
}

static smtpcore_str s(const char* text) {
    smtpcore_str r;
    r.data = text;
    r.size = strlen(text);
    return r;
}

/* What the client has written so far, acknowledged. */
static const char* sent(smtpcore_client* client) {
    static char copy[2048];
    smtpcore_str out = smtpcore_send_buf(client);
    size_t n = out.size < sizeof copy - 1 ? out.size : sizeof copy - 1;
    memcpy(copy, out.data, n);
    copy[n] = '\0';
    smtpcore_send_ack(client, out.size);
    return copy;
}

void test_envelope_extensions(void) {
    smtpcore_envelope env;
    smtpcore_str to[1], orcpt[1];
    smtpcore_client* client;
    smtpcore_event ev;
    const char* wire;
    int dropped = 0;

    to[0] = s("b@example.net");
    orcpt[0] = s("b+x@example.net");
    SMTPCORE_ENVELOPE_INIT(&env);
    env.from = s("a@example.org");
    env.recipients = to;
    env.recipient_count = 1;
    env.dsn = 1;
    env.dsn_ret = SMTPCORE_DSN_RET_HDRS;
    env.dsn_notify = SMTPCORE_DSN_NOTIFY_SUCCESS | SMTPCORE_DSN_NOTIFY_FAILURE;
    env.dsn_envid = s("id 1");
    env.dsn_orcpt = orcpt;

    client = ready_client("DSN");
    check("c-abi DSN: submit", smtpcore_submit(client, &env) == SMTPCORE_OK);
    wire = sent(client);
    check("c-abi DSN: RET and ENVID (xtext) on MAIL", strstr(wire, "MAIL FROM:<a@example.org> RET=HDRS ENVID=id+201\r\n") != NULL);
    check("c-abi DSN: NOTIFY and ORCPT on RCPT",
          strstr(wire, "RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx@example.net\r\n") != NULL);

    /* Not offered, refuse: nothing sent. */
    client = ready_client("8BITMIME");
    env.dsn_unoffered = SMTPCORE_DSN_REFUSE;
    check("c-abi DSN not offered, refuse: unsupported", smtpcore_submit(client, &env) == SMTPCORE_E_UNSUPPORTED);
    check("c-abi DSN not offered, refuse: nothing sent", sent(client)[0] == '\0');
    /* Not offered, drop: plain lines, and the outcome says so. */
    env.dsn_unoffered = SMTPCORE_DSN_DROP;
    check("c-abi DSN not offered, drop: submit", smtpcore_submit(client, &env) == SMTPCORE_OK);
    wire = sent(client);
    check("c-abi DSN not offered, drop: no parameters", strstr(wire, "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n") != NULL);
    smtpcore_feed(client, "250 ok\r\n250 ok\r\n354 go\r\n", 24);
    SMTPCORE_EVENT_INIT(&ev);
    while (smtpcore_next_event(client, &ev) != SMTPCORE_EVENT_NONE) {}
    smtpcore_body_end(client);
    sent(client);
    smtpcore_feed(client, "250 queued\r\n", 12);
    while (smtpcore_next_event(client, &ev) != SMTPCORE_EVENT_NONE)
        if (ev.type == SMTPCORE_EVENT_MESSAGE_ACCEPTED) dropped = ev.dsn_dropped;
    check("c-abi DSN not offered, drop: the outcome has dsn_dropped", dropped == 1);

    /* Injection: CR LF in ENVID refused, nothing sent. */
    client = ready_client("DSN");
    env.dsn_envid = s("x\r\nRSET");
    check("c-abi DSN: CR LF in ENVID refused", smtpcore_submit(client, &env) == SMTPCORE_E_INVALID_INPUT);
    check("c-abi DSN: ... nothing sent", sent(client)[0] == '\0');

    /* An envelope from an older header ends before the DSN fields: none sent. */
    client = ready_client("DSN");
    env.dsn_envid = s("id");
    env.struct_size = (uint32_t)offsetof(smtpcore_envelope, require_tls);
    check("c-abi older envelope: submit", smtpcore_submit(client, &env) == SMTPCORE_OK);
    check("c-abi older envelope: no DSN parameters", strstr(sent(client), "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n") != NULL);

    /* NOTIFY per recipient, copied at submit (the caller's array may change after). */
    {
        smtpcore_str three[3];
        uint8_t notify_each[3];
        three[0] = s("b@example.net");
        three[1] = s("c@example.net");
        three[2] = s("d@example.net");
        notify_each[0] = SMTPCORE_DSN_NOTIFY_SUCCESS;
        notify_each[1] = 0;
        notify_each[2] = SMTPCORE_DSN_NOTIFY_NEVER;
        client = ready_client("DSN");
        SMTPCORE_ENVELOPE_INIT(&env);
        env.from = s("a@example.org");
        env.recipients = three;
        env.recipient_count = 3;
        env.dsn = 1;
        env.dsn_notify = SMTPCORE_DSN_NOTIFY_FAILURE;
        env.dsn_notify_each = notify_each;
        check("c-abi NOTIFY per recipient: submit", smtpcore_submit(client, &env) == SMTPCORE_OK);
        notify_each[1] = SMTPCORE_DSN_NOTIFY_DELAY;
        wire = sent(client);
        check("c-abi NOTIFY per recipient: each RCPT its own",
              strstr(wire, "RCPT TO:<b@example.net> NOTIFY=SUCCESS\r\nRCPT TO:<c@example.net> NOTIFY=FAILURE\r\n"
                           "RCPT TO:<d@example.net> NOTIFY=NEVER\r\n") != NULL);
        client = ready_client("DSN");
        notify_each[1] = SMTPCORE_DSN_NOTIFY_NEVER | SMTPCORE_DSN_NOTIFY_SUCCESS;
        check("c-abi NOTIFY per recipient: NEVER with SUCCESS refused", smtpcore_submit(client, &env) == SMTPCORE_E_INVALID_INPUT);
        check("c-abi NOTIFY per recipient: ... nothing sent", sent(client)[0] == '\0');
    }

    /* REQUIRETLS without TLS: refused, nothing sent. */
    client = ready_client("REQUIRETLS");
    SMTPCORE_ENVELOPE_INIT(&env);
    env.from = s("a@example.org");
    env.recipients = to;
    env.recipient_count = 1;
    env.require_tls = 1;
    check("c-abi REQUIRETLS without TLS: tls-required", smtpcore_submit(client, &env) == SMTPCORE_E_TLS_REQUIRED);
    check("c-abi REQUIRETLS without TLS: nothing sent", sent(client)[0] == '\0');
}
