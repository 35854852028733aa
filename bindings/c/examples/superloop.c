/* A superloop in C99 over the C ABI: one pass of the loop does whatever can
 * be done now without blocking (the shape of a bare-metal main loop; here
 * the "hardware" is a non-blocking POSIX socket). The MIME writer composes a
 * plain-text message straight into the engine's body window; it goes out
 * over plaintext SMTP (a device with TLS runs its TLS library where the
 * START_TLS event asks for it, docs/c-api.md).
 *
 *   superloop HOST-IPV4 PORT FROM TO
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "smtpcore.h"

static smtpcore_millis now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (smtpcore_millis)ts.tv_sec * 1000u + (smtpcore_millis)(ts.tv_nsec / 1000000);
}

static smtpcore_str text(const char* s) {
    smtpcore_str v;
    v.data = s;
    v.size = strlen(s);
    return v;
}

static int connect_to(const char* host, int port) {
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (fd < 0 || inet_pton(AF_INET, host, &addr.sin_addr) != 1 ||
        connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) {
        perror("connect");
        exit(69);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* All the session's memory: no malloc anywhere in this program's loop. */
static union {
    long double align;
    unsigned char bytes[4096];
} storage, writer_storage;

int main(int argc, char** argv) {
    smtpcore_config config;
    smtpcore_message message;
    smtpcore_part text_part;
    smtpcore_mailbox to_mailbox;
    smtpcore_mime_writer* writer = NULL;
    smtpcore_envelope envelope;
    smtpcore_event ev;
    smtpcore_str to;
    smtpcore_client* smtp = NULL;
    int body_done = 0;
    int fd, delivered = 0, done = 0, progress;

    if (argc != 5) {
        fprintf(stderr, "usage: %s HOST-IPV4 PORT FROM TO\n", argv[0]);
        return 64;
    }
    SMTPCORE_CONFIG_INIT(&config);
    config.tls = SMTPCORE_TLS_NONE; /* this example has no TLS library */
    config.client_name = text("superloop.example");
    if (smtpcore_client_size(&config) > sizeof storage.bytes ||
        smtpcore_client_init(storage.bytes, sizeof storage.bytes, &config, &smtp) != SMTPCORE_OK) {
        fprintf(stderr, "client: %s\n", smtp ? smtpcore_last_error(smtp).reason : "storage refused");
        return 70;
    }
    SMTPCORE_ENVELOPE_INIT(&envelope);
    envelope.from = text(argv[3]);
    to = text(argv[4]);
    envelope.recipients = &to;
    envelope.recipient_count = 1;
    SMTPCORE_EVENT_INIT(&ev);

    SMTPCORE_MESSAGE_INIT(&message);
    SMTPCORE_PART_INIT(&text_part);
    text_part.data = text("Hello from the C ABI.\n");
    message.from.address = envelope.from;
    to_mailbox.name = text("");
    to_mailbox.address = to;
    message.to = &to_mailbox;
    message.to_count = 1;
    message.subject = text("sent from a C superloop");
    message.text = &text_part;
    if (smtpcore_mime_writer_start(writer_storage.bytes, sizeof writer_storage.bytes, &message, &writer) != 0) {
        fprintf(stderr, "message refused: %s\n", writer ? smtpcore_mime_writer_error(writer).field : "storage");
        return 65;
    }
    fd = connect_to(argv[1], atoi(argv[2]));

    while (!done) {
        smtpcore_str out;
        smtpcore_window in;
        smtpcore_millis deadline;
        struct pollfd p;
        ssize_t n;

        progress = 0;
        /* 1. time, 2. events */
        smtpcore_handle_timeout(smtp, now_ms());
        while (smtpcore_next_event(smtp, &ev) != SMTPCORE_EVENT_NONE) {
            switch (ev.type) {
            case SMTPCORE_EVENT_READY:
                if (delivered || smtpcore_submit(smtp, &envelope) != SMTPCORE_OK) smtpcore_quit(smtp);
                break;
            case SMTPCORE_EVENT_RECIPIENT_RESULT:
                printf("recipient %.*s: %u\n", (int)ev.recipient.size, ev.recipient.data, (unsigned)ev.code);
                break;
            case SMTPCORE_EVENT_MESSAGE_ACCEPTED:
                printf("accepted: %u %.*s\n", (unsigned)ev.code, (int)ev.text.size, ev.text.data);
                delivered = 1;
                break;
            case SMTPCORE_EVENT_MESSAGE_REJECTED:
            case SMTPCORE_EVENT_MESSAGE_UNKNOWN:
                printf("%s: %u %.*s\n", smtpcore_event_name(ev.type), (unsigned)ev.code, (int)ev.text.size,
                       ev.text.data);
                break;
            case SMTPCORE_EVENT_CLOSED:
                done = 1;
                break;
            case SMTPCORE_EVENT_ERROR:
                fprintf(stderr, "error: %s (%s, in %s)\n", smtpcore_strerror(ev.error.kind), ev.error.reason,
                        ev.error.where);
                done = 1;
                break;
            default:
                break;
            }
        }
        /* 3. output */
        out = smtpcore_send_buf(smtp);
        if (out.size > 0) {
            n = write(fd, out.data, out.size);
            if (n > 0) {
                smtpcore_send_ack(smtp, (size_t)n);
                progress = 1;
            }
        }
        /* 4. the body: the MIME writer fills the engine's window directly */
        if (smtpcore_get_state(smtp) == SMTPCORE_STATE_BODY && !body_done) {
            smtpcore_window w = smtpcore_body_buf(smtp);
            size_t piece = 0;
            smtpcore_read_status status = w.size ? smtpcore_mime_writer_read(writer, w.data, w.size, &piece)
                                                 : SMTPCORE_READ_PENDING;
            smtpcore_body_ack(smtp, piece);
            progress = piece > 0;
            if (status == SMTPCORE_READ_END) smtpcore_body_end(smtp);
            if (status == SMTPCORE_READ_FAILED) smtpcore_body_fail(smtp);
            body_done = status == SMTPCORE_READ_END || status == SMTPCORE_READ_FAILED;
        }
        /* 5. input */
        in = smtpcore_recv_buf(smtp);
        if (in.size > 0) {
            n = read(fd, in.data, in.size);
            if (n > 0) {
                smtpcore_recv_ack(smtp, (size_t)n); /* parsed by the next pass's next_event() */
                progress = 1;
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                smtpcore_connection_closed(smtp);
                progress = 1;
            }
        }
        /* 6. nothing moved: idle until the socket or the deadline wants us
         * (a device would sleep here) */
        if (done) break;
        if (progress) continue;
        deadline = smtpcore_deadline(smtp);
        p.fd = fd;
        p.events = (short)((smtpcore_want_read(smtp) ? POLLIN : 0) | (smtpcore_want_write(smtp) ? POLLOUT : 0));
        p.revents = 0;
        poll(&p, 1, deadline == SMTPCORE_NEVER ? 1000 : (int)(deadline > now_ms() ? deadline - now_ms() : 0));
    }
    close(fd);
    return delivered ? 0 : 1;
}
