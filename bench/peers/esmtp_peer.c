/* bench/peers/esmtp_peer.c: libESMTP as a peer in scripts/bench-peers. One
 * session holding every message (libESMTP pipelines when the server offers
 * PIPELINING).
 *
 *   esmtp_peer PORT COUNT MESSAGE_FILE     (the file: headers and body, CRLF) */
#include <stddef.h> /* libesmtp.h uses size_t without it */
#include <libesmtp.h>
#include <stdio.h>
#include <stdlib.h>

static char* slurp(const char* path) {
    FILE* f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char* data = malloc((size_t)size + 1);
    if (data) data[fread(data, 1, (size_t)size, f)] = '\0';
    fclose(f);
    return data;
}

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: esmtp_peer PORT COUNT MESSAGE_FILE\n");
        return 64;
    }
    long count = atol(argv[2]);
    char* message = slurp(argv[3]);
    if (!message) return 66;
    char server[64];
    snprintf(server, sizeof server, "127.0.0.1:%s", argv[1]);
    smtp_session_t session = smtp_create_session();
    smtp_set_server(session, server);
    smtp_message_t* messages = calloc((size_t)count, sizeof *messages);
    for (long i = 0; i < count; ++i) {
        messages[i] = smtp_add_message(session);
        smtp_set_reverse_path(messages[i], "bench@example.org");
        smtp_add_recipient(messages[i], "sink@example.org");
        smtp_set_message_str(messages[i], message);
    }
    long sent = 0;
    if (smtp_start_session(session)) {
        for (long i = 0; i < count; ++i) {
            const smtp_status_t* status = smtp_message_transfer_status(messages[i]);
            if (status && status->code == 250) ++sent;
        }
    }
    smtp_destroy_session(session);
    free(messages);
    free(message);
    printf("accepted %ld\n", sent);
    return sent == count ? 0 : 1;
}
