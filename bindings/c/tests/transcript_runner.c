/* The transcript replayer (transcript_runner.h), in C99 over smtpcore.h. */
#include "transcript_runner.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_EVENTS 64
#define MAX_LINE 512
#define MAX_WIRE 8192

typedef struct {
    smtpcore_client* client;
    size_t chunk;
    char events[MAX_EVENTS][MAX_LINE]; /* what the engine reported, formatted */
    int event_count;
    char wire[MAX_WIRE];               /* every byte the client sent */
    size_t wire_len;
    /* The envelopes' strings, one buffer per message of the last four (the
     * engine borrows them until the outcome, with messages in flight). */
    char recipients_text[4][MAX_LINE];
    unsigned submits;
    smtpcore_str recipients[16];       /* ...and views into them */
    smtpcore_envelope envelope;
    smtpcore_millis now;
    int failed;
} Run;

static union {
    long double align;
    unsigned char bytes[16384 + SMTPCORE_CLIENT_ALIGN];
} storage;

static void fail(Run* run, const char* what, const char* detail) {
    if (!run->failed) printf("  %s: %s\n", what, detail);
    run->failed = 1;
}

/* One event as a transcript E: line, text last (in quotes). */
static void format_event(const smtpcore_event* ev, char* out, size_t cap) {
    size_t n = (size_t)snprintf(out, cap, "%s", smtpcore_event_name(ev->type));
    if (ev->code) n += (size_t)snprintf(out + n, cap - n, " %u", (unsigned)ev->code);
    if (ev->status_class)
        n += (size_t)snprintf(out + n, cap - n, " %u.%u.%u", (unsigned)ev->status_class,
                              (unsigned)ev->status_subject, (unsigned)ev->status_detail);
    if (ev->type == SMTPCORE_EVENT_MESSAGE_REJECTED || (ev->type == SMTPCORE_EVENT_RECIPIENT_OUTCOME && ev->code >= 400))
        n += (size_t)snprintf(out + n, cap - n, ev->temporary ? " temporary" : " permanent");
    if (ev->type == SMTPCORE_EVENT_RECIPIENT_RESULT || ev->type == SMTPCORE_EVENT_RECIPIENT_OUTCOME)
        n += (size_t)snprintf(out + n, cap - n, " #%u %.*s", (unsigned)ev->recipient_index,
                              (int)ev->recipient.size, ev->recipient.data);
    if (ev->type == SMTPCORE_EVENT_ERROR)
        n += (size_t)snprintf(out + n, cap - n, " [%s]", smtpcore_error_name(ev->error.kind));
    snprintf(out + n, cap - n, " \"%.*s\"", (int)ev->text.size, ev->text.data);
}

/* Pulls every event, drains the output (acknowledged in chunks); repeats
 * while either made progress. */
static void settle(Run* run) {
    int progress = 1;
    while (progress) {
        smtpcore_event ev;
        progress = 0;
        SMTPCORE_EVENT_INIT(&ev);
        while (smtpcore_next_event(run->client, &ev) != SMTPCORE_EVENT_NONE) {
            if (run->event_count == MAX_EVENTS) {
                fail(run, "events", "too many");
                return;
            }
            format_event(&ev, run->events[run->event_count++], MAX_LINE);
            progress = 1;
        }
        for (;;) {
            smtpcore_str out = smtpcore_send_buf(run->client);
            size_t n = out.size;
            if (n == 0) break;
            if (run->chunk && n > run->chunk) n = run->chunk;
            if (run->wire_len + n > MAX_WIRE) {
                fail(run, "wire", "too much output");
                return;
            }
            memcpy(run->wire + run->wire_len, out.data, n);
            run->wire_len += n;
            smtpcore_send_ack(run->client, n);
            progress = 1;
        }
    }
}

static void feed(Run* run, const char* data, size_t len) {
    while (len > 0 && !run->failed) {
        size_t piece = run->chunk && run->chunk < len ? run->chunk : len;
        size_t taken = smtpcore_feed(run->client, data, piece);
        if (taken == 0) {
            settle(run);
            taken = smtpcore_feed(run->client, data, piece);
            if (taken == 0) return; /* the engine takes no more input (it ended) */
        }
        data += taken;
        len -= taken;
        settle(run);
    }
}

/* "a\r\nb" -> bytes, in place; returns the length. */
static size_t unescape(char* s) {
    size_t r = 0, w = 0;
    for (; s[r]; ++r, ++w) {
        if (s[r] == '\\' && (s[r + 1] == 'r' || s[r + 1] == 'n')) {
            s[w] = s[r + 1] == 'r' ? '\r' : '\n';
            ++r;
        } else {
            s[w] = s[r];
        }
    }
    return w;
}

static void write_body(Run* run, const char* data, size_t len) {
    int stalls = 0;
    while (len > 0 && stalls < 3) {
        smtpcore_window w = smtpcore_body_buf(run->client);
        size_t n = w.size < len ? w.size : len;
        if (run->chunk && n > run->chunk) n = run->chunk;
        if (n == 0) {
            settle(run);
            ++stalls;
            continue;
        }
        stalls = 0;
        memcpy(w.data, data, n);
        smtpcore_body_ack(run->client, n);
        data += n;
        len -= n;
        settle(run);
    }
    if (len > 0) fail(run, "body", "the body window stayed closed");
}

/* Plays one A: line; returns the error kind of the call (SMTPCORE_OK for
 * calls that return none). */
static int act(Run* run, char* action) {
    int result = SMTPCORE_OK;
    if (strncmp(action, "submit ", 7) == 0) {
        char* p;
        size_t count = 0;
        char* text = run->recipients_text[run->submits++ % 4];
        strncpy(text, action + 7, MAX_LINE - 1);
        SMTPCORE_ENVELOPE_INIT(&run->envelope);
        p = strtok(text, " ");
        run->envelope.from.data = p;
        run->envelope.from.size = p ? strlen(p) : 0;
        while ((p = strtok(NULL, " ")) != NULL && count < 16) {
            size_t len = unescape(p);
            run->recipients[count].data = p;
            run->recipients[count].size = len;
            ++count;
        }
        run->envelope.recipients = run->recipients;
        run->envelope.recipient_count = count;
        result = smtpcore_submit(run->client, &run->envelope);
    } else if (strncmp(action, "body ", 5) == 0) {
        size_t len = unescape(action + 5);
        write_body(run, action + 5, len);
    } else if (strcmp(action, "body-end") == 0) {
        result = smtpcore_body_end(run->client);
    } else if (strcmp(action, "body-fail") == 0) {
        smtpcore_body_fail(run->client);
    } else if (strcmp(action, "cancel") == 0) {
        result = smtpcore_cancel(run->client);
    } else if (strcmp(action, "quit") == 0) {
        result = smtpcore_quit(run->client);
    } else if (strcmp(action, "abort") == 0) {
        smtpcore_abort(run->client);
    } else if (strcmp(action, "tls") == 0) {
        result = smtpcore_tls_established(run->client);
    } else if (strcmp(action, "close") == 0) {
        smtpcore_connection_closed(run->client);
    } else if (strncmp(action, "time ", 5) == 0) {
        unsigned long long ms = 0;
        sscanf(action + 5, "%llu", &ms);
        run->now = ms;
        smtpcore_handle_timeout(run->client, run->now);
    } else {
        fail(run, "unknown action", action);
    }
    settle(run);
    return result;
}

/* The expected E: line matches the actual one (text only when expected has one). */
static int event_matches(const char* expected, const char* actual) {
    const char* quote = strchr(actual, '"');
    size_t head = quote ? (size_t)(quote - actual - 1) : strlen(actual);
    if (strchr(expected, '"')) return strcmp(expected, actual) == 0;
    return strlen(expected) == head && strncmp(expected, actual, head) == 0;
}

int replay_transcript(const char* name, const smtpcore_config* config, const char* transcript, size_t chunk) {
    static Run run;
    static char expected_wire[MAX_WIRE];
    static char line[MAX_LINE];
    size_t expected_len = 0;
    int expected_events = 0, last_result = SMTPCORE_OK;
    const char* p = transcript;
    unsigned char* aligned =
        storage.bytes + (SMTPCORE_CLIENT_ALIGN - (uintptr_t)storage.bytes % SMTPCORE_CLIENT_ALIGN) % SMTPCORE_CLIENT_ALIGN;
    const size_t size = smtpcore_client_size(config);

    memset(&run, 0, sizeof run);
    run.chunk = chunk;
    if (size == 0 || size > sizeof storage.bytes - SMTPCORE_CLIENT_ALIGN) {
        printf("%s: smtpcore_client_size() = %lu\n", name, (unsigned long)size);
        return 1;
    }
    smtpcore_client_init(aligned, size, config, &run.client);
    if (!run.client) {
        printf("%s: smtpcore_client_init() refused the storage\n", name);
        return 1;
    }
    smtpcore_handle_timeout(run.client, 0);
    settle(&run);
    while (*p && !run.failed) {
        const char* end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= MAX_LINE - 2) len = MAX_LINE - 3;
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (end ? 1 : 0);
        if (len < 3 || line[1] != ':') continue;
        if (line[0] == 'S') {
            memcpy(line + len, "\r\n", 3);
            feed(&run, line + 3, len - 3 + 2);
        } else if (line[0] == 'A') {
            /* Every event so far was expected before this action. */
            settle(&run);
            if (run.event_count > expected_events) fail(&run, "unexpected event", run.events[expected_events]);
            last_result = act(&run, line + 3);
        } else if (line[0] == 'R') {
            if (strcmp(smtpcore_error_name(last_result), line + 3) != 0)
                fail(&run, "refusal", line);
            last_result = SMTPCORE_OK;
        } else if (line[0] == 'C') {
            memcpy(expected_wire + expected_len, line + 3, len - 3);
            memcpy(expected_wire + expected_len + len - 3, "\r\n", 2);
            expected_len += len - 3 + 2;
        } else if (line[0] == 'E') {
            settle(&run);
            if (expected_events >= run.event_count) {
                fail(&run, "missing event", line);
            } else if (!event_matches(line + 3, run.events[expected_events])) {
                printf("  expected E: %s\n  got      E: %s\n", line + 3, run.events[expected_events]);
                fail(&run, "event", "differs");
            }
            ++expected_events;
        }
        if (line[0] != 'R' && line[0] != 'A' && last_result != SMTPCORE_OK) {
            fail(&run, "unexpected refusal", smtpcore_error_name(last_result));
        }
    }
    settle(&run);
    if (!run.failed && run.event_count != expected_events)
        fail(&run, "unexpected event", run.events[expected_events]);
    if (!run.failed && (run.wire_len != expected_len || memcmp(run.wire, expected_wire, expected_len) != 0)) {
        printf("  expected wire:\n%.*s  got wire:\n%.*s", (int)expected_len, expected_wire, (int)run.wire_len,
               run.wire);
        fail(&run, "wire", "differs");
    }
    if (run.failed) printf("%s (chunk %lu): FAILED\n", name, (unsigned long)chunk);
    return run.failed;
}
