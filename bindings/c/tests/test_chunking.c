/* CHUNKING (RFC 3030) through the C ABI: smtpcore_config.chunking picks BDAT
 * or DATA, ALWAYS refuses a server without CHUNKING before anything is sent,
 * a config from an older header (no chunking field) gets AUTO, and a value
 * outside the enumeration is refused at init. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checks.h"
#include "smtpcore.h"

#define READY_WITH(last_ehlo_line)  \
    "S: 220 mx ESMTP\n"             \
    "E: greeting 220\n"             \
    "C: EHLO client.example\n"      \
    "S: 250-mx\n"                   \
    "S: 250-PIPELINING\n"           \
    "S: 250 " last_ehlo_line "\n"   \
    "E: ready\n"

#define QUIT                        \
    "A: quit\n"                     \
    "C: QUIT\n"                     \
    "S: 221 bye\n"                  \
    "E: closed 221\n"

/* AUTO with CHUNKING offered: BDAT, no DATA and no 354, no dot doubled. */
static const char* const kBdat =
    READY_WITH("CHUNKING")
    "A: submit a@example.org b@example.net\n"
    "E: body-wanted\n"
    "C: MAIL FROM:<a@example.org>\n"
    "C: RCPT TO:<b@example.net>\n"
    "A: body .dot\\r\\n\n"
    "A: body-end\n"
    "C: BDAT 6 LAST\n"
    "C: .dot\n"
    "S: 250 ok\n"
    "S: 250 ok\n"
    "S: 250 queued\n"
    "E: recipient 250 #0 b@example.net\n"
    "E: message-accepted 250\n"
    "E: ready\n"
    QUIT;

/* NEVER with CHUNKING offered, or AUTO without it: DATA, dot-stuffed. */
#define DATA_DIALOGUE(last_ehlo_line)              \
    READY_WITH(last_ehlo_line)                     \
    "A: submit a@example.org b@example.net\n"      \
    "C: MAIL FROM:<a@example.org>\n"               \
    "C: RCPT TO:<b@example.net>\n"                 \
    "C: DATA\n"                                    \
    "S: 250 ok\n"                                  \
    "S: 250 ok\n"                                  \
    "S: 354 go ahead\n"                            \
    "E: recipient 250 #0 b@example.net\n"   \
    "E: body-wanted 354\n"                         \
    "A: body .dot\\r\\n\n"                         \
    "A: body-end\n"                                \
    "C: ..dot\n"                                   \
    "C: .\n"                                       \
    "S: 250 queued\n"                              \
    "E: message-accepted 250\n"                    \
    "E: ready\n"                                   \
    QUIT
static const char* const kDataThoughOffered = DATA_DIALOGUE("CHUNKING");
static const char* const kDataNotOffered = DATA_DIALOGUE("8BITMIME");

/* ALWAYS without CHUNKING: submit() refuses, nothing is sent. */
static const char* const kAlwaysRefused =
    READY_WITH("8BITMIME")
    "A: submit a@example.org b@example.net\n"
    "R: unsupported\n"
    QUIT;

/* Two messages in flight: the second one's content leaves before the first
 * one's final reply (BODY_WANTED for message 2 while message 1 is open). */
static const char* const kTwoInFlight =
    READY_WITH("CHUNKING")
    "A: submit a@example.org b@example.net\n"
    "E: body-wanted\n"
    "C: MAIL FROM:<a@example.org>\n"
    "C: RCPT TO:<b@example.net>\n"
    "A: body one\n"
    "A: body-end\n"
    "C: BDAT 5 LAST\n"
    "C: one\n"
    "A: submit c@example.org d@example.net\n"
    "E: body-wanted\n"
    "C: MAIL FROM:<c@example.org>\n"
    "C: RCPT TO:<d@example.net>\n"
    "A: body two\n"
    "A: body-end\n"
    "C: BDAT 5 LAST\n"
    "C: two\n"
    "S: 250 ok\n"
    "S: 250 ok\n"
    "S: 250 queued\n"
    "S: 250 ok\n"
    "S: 250 ok\n"
    "S: 250 queued\n"
    "E: recipient 250 #0 b@example.net\n"
    "E: message-accepted 250\n"
    "E: recipient 250 #0 d@example.net\n"
    "E: message-accepted 250\n"
    "E: ready\n"
    QUIT;

static smtpcore_config config_with(int32_t chunking) {
    smtpcore_config c;
    SMTPCORE_CONFIG_INIT(&c);
    c.client_name.data = "client.example";
    c.client_name.size = strlen(c.client_name.data);
    c.tls = SMTPCORE_TLS_NONE;
    c.chunking = chunking;
    return c;
}

void test_chunking(void) {
    static union {
        long double align;
        unsigned char bytes[8192];
    } storage;
    unsigned char* base = storage.bytes + (16 - (uintptr_t)storage.bytes % 16) % 16;
    smtpcore_config c = config_with(SMTPCORE_CHUNKING_AUTO), old;
    smtpcore_client* client = NULL;

    check("chunking defaults to AUTO", c.chunking == SMTPCORE_CHUNKING_AUTO);
    replay("chunking auto, CHUNKING offered: BDAT", &c, kBdat);
    replay("chunking auto, CHUNKING not offered: DATA", &c, kDataNotOffered);
    c = config_with(SMTPCORE_CHUNKING_NEVER);
    replay("chunking never, CHUNKING offered: DATA", &c, kDataThoughOffered);
    c = config_with(SMTPCORE_CHUNKING_ALWAYS);
    replay("chunking always, CHUNKING offered: BDAT", &c, kBdat);
    replay("chunking always, CHUNKING not offered: submit refused", &c, kAlwaysRefused);

    /* A config from the header before the field: struct_size ends at chunking. */
    c = config_with(SMTPCORE_CHUNKING_NEVER);
    memcpy(&old, &c, sizeof old);
    old.struct_size = (uint32_t)offsetof(smtpcore_config, chunking);
    replay("a config without the chunking field: AUTO (BDAT)", &old, kBdat);

    c = config_with(3);
    check("chunking outside the enumeration: misuse, no client",
          smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) == SMTPCORE_E_MISUSE && client == NULL);

    /* Several messages in flight (Limits::messages_in_flight). */
    c = config_with(SMTPCORE_CHUNKING_AUTO);
    check("messages_in_flight defaults to 1", c.messages_in_flight == 1);
    const size_t one = smtpcore_client_size(&c);
    c.messages_in_flight = 2;
    check("a second message in flight needs more storage", smtpcore_client_size(&c) > one);
    replay("two messages in flight: the second body before the first reply", &c, kTwoInFlight);
    memcpy(&old, &c, sizeof old);
    old.struct_size = (uint32_t)offsetof(smtpcore_config, messages_in_flight);
    check("a config without the field: one at a time", smtpcore_client_size(&old) == one);
    c.messages_in_flight = 16;
    client = NULL;
    check("messages_in_flight over 15: misuse, no client",
          smtpcore_client_init(base, smtpcore_client_size(&c), &c, &client) == SMTPCORE_E_MISUSE && client == NULL);
}
