/* bench/peers/curl_peer.c: libcurl as a peer in scripts/bench-peers. One easy
 * handle reused for every message, so the connection stays open (libcurl has
 * no SMTP pipelining: each message is MAIL, RCPT, DATA in turn).
 *
 *   curl_peer PORT COUNT MESSAGE_FILE     (the file: headers and body, CRLF) */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
    const char* data;
    size_t size;
    size_t offset;
};

static size_t read_message(char* out, size_t size, size_t n, void* user) {
    struct cursor* c = user;
    size_t take = size * n;
    if (take > c->size - c->offset) take = c->size - c->offset;
    memcpy(out, c->data + c->offset, take);
    c->offset += take;
    return take;
}

static char* slurp(const char* path, size_t* size) {
    FILE* f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char* data = malloc(*size + 1);
    if (data && fread(data, 1, *size, f) != *size) *size = 0;
    fclose(f);
    return data;
}

int main(int argc, char** argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: curl_peer PORT COUNT MESSAGE_FILE\n");
        return 64;
    }
    long count = atol(argv[2]);
    struct cursor c = {0};
    char* message = slurp(argv[3], &c.size);
    if (!message) return 66;
    c.data = message;
    char url[64];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%s/bench", argv[1]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* h = curl_easy_init();
    struct curl_slist* rcpt = curl_slist_append(NULL, "<sink@example.org>");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, "<bench@example.org>");
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(h, CURLOPT_READDATA, &c);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    long sent = 0;
    for (long i = 0; i < count; ++i) {
        c.offset = 0;
        if (curl_easy_perform(h) != CURLE_OK) break;
        ++sent;
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    free(message);
    printf("accepted %ld\n", sent);
    return sent == count ? 0 : 1;
}
