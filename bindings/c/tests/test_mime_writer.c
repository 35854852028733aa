/* The MIME writer through the C ABI: a message with a text body and an
 * attachment, read in small pieces with zero allocations; a refused field. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "smtpcore.h"

static smtpcore_str text(const char* s) {
    smtpcore_str v;
    v.data = s;
    v.size = strlen(s);
    return v;
}

static union {
    long double align;
    unsigned char bytes[4096];
} storage;
static char output[8192];

/* Writes the whole message in pieces of `piece` octets; returns the length,
 * or -1 when the writer failed. */
static long write_all(smtpcore_mime_writer* w, size_t piece) {
    size_t len = 0;
    for (;;) {
        size_t n = 0;
        smtpcore_read_status s = smtpcore_mime_writer_read(w, output + len, piece, &n);
        len += n;
        if (s == SMTPCORE_READ_END) return (long)len;
        if (s == SMTPCORE_READ_FAILED || len + piece > sizeof output) return -1;
    }
}

void test_mime_writer(void) {
    static const char attachment_bytes[] = "\x00\x01\x02" "binary\xff"; /* split: \x02b would be one escape */
    smtpcore_message m;
    smtpcore_mailbox to[2];
    smtpcore_part body, attachment;
    smtpcore_mime_writer* w = NULL;
    unsigned long before;
    long len;

    SMTPCORE_MESSAGE_INIT(&m);
    SMTPCORE_PART_INIT(&body);
    SMTPCORE_PART_INIT(&attachment);
    check("part_init defaults to text/plain", body.content_type.size == 10 &&
                                                   memcmp(body.content_type.data, "text/plain", 10) == 0);
    m.from.name = text("Device 7");
    m.from.address = text("device7@example.org");
    to[0].name = text("Ops");
    to[0].address = text("ops@example.net");
    to[1].name = text("");
    to[1].address = text("audit@example.net");
    m.to = to;
    m.to_count = 2;
    m.subject = text("disk almost full");
    m.has_date = 1;
    m.date.year = 2026;
    m.date.month = 12;
    m.date.day = 1;
    m.date.hour = 17;
    body.data = text("/var is at 97%\n");
    attachment.content_type = text("application/octet-stream");
    attachment.data.data = attachment_bytes;
    attachment.data.size = sizeof attachment_bytes - 1;
    attachment.filename = text("state.bin");
    m.text = &body;
    m.attachments = &attachment;
    m.attachment_count = 1;

    check("writer_size fits", smtpcore_mime_writer_size(&m) > 0 && smtpcore_mime_writer_size(&m) <= sizeof storage.bytes);
    before = allocations;
    check("writer starts", smtpcore_mime_writer_start(storage.bytes, sizeof storage.bytes, &m, &w) == 0 && w != NULL);
    len = w ? write_all(w, 7) : -1;
    check("the message is written in 7-octet pieces with zero allocations", len > 0 && allocations == before);
    if (len > 0) {
        output[len] = '\0';
        if (getenv("SMTPCORE_DUMP")) fputs(output, stdout);
        check("headers: From, To with both mailboxes, Subject, Date",
              strstr(output, "From: Device 7 <device7@example.org>\r\n") != NULL &&
                  strstr(output, "To: Ops <ops@example.net>, audit@example.net\r\n") != NULL &&
                  strstr(output, "Subject: disk almost full\r\n") != NULL &&
                  strstr(output, "Date: Tue, 01 Dec 2026 17:00:00 +0000\r\n") != NULL);
        check("multipart/mixed with the text and the base64 attachment",
              strstr(output, "Content-Type: multipart/mixed;") != NULL && strstr(output, "/var is at 97%\r\n") &&
                  strstr(output, "filename=state.bin") != NULL && strstr(output, "AAECYmluYXJ5/w==") != NULL);
    }

    /* A header value with CR LF would inject a field: refused before any byte. */
    m.subject = text("hi\r\nBcc: everyone@example.net");
    check("a subject with CRLF is refused",
          smtpcore_mime_writer_start(storage.bytes, sizeof storage.bytes, &m, &w) == 1 && w != NULL &&
              strcmp(smtpcore_mime_writer_error(w).field, "subject") == 0);
    check("too small storage: -1, no writer",
          smtpcore_mime_writer_start(storage.bytes, smtpcore_mime_writer_size(&m) - 1, &m, &w) == -1 && w == NULL);
}
