// The smallest useful program: send one plain-text message, blocking.
//
//   send_basic HOST:PORT FROM TO            (STARTTLS required, no AUTH)
//   SMTP_USER=u SMTP_PASSWORD=p send_basic smtp.example.com:587 me@example.com you@example.net
// SMTP_CA_FILE adds a trusted CA (a private mail server's).
#include <cstdio>
#include <cstdlib>

#include <smtpcore/adapters/blocking.hpp>

using namespace smtpcore;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s HOST:PORT FROM TO\n", argv[0]);
        return 64;
    }
    adapters::SendOptions options;  // STARTTLS required, certificate verified
    if (const char* user = std::getenv("SMTP_USER")) options.username = user;
    if (const char* password = std::getenv("SMTP_PASSWORD")) options.password = password;
    if (const char* ca = std::getenv("SMTP_CA_FILE")) options.ca_file = ca;  // e.g. a private CA

    const mime::Mailbox to[] = {{"", argv[3]}};
    mime::Part text;
    text.data = as_bytes("Hello,\n\nthis message was sent by smtpcore.\n");
    mime::Message message;
    message.from = {"", argv[2]};
    message.to = Span<const mime::Mailbox>(to);
    message.subject = "Hello from smtpcore";
    message.text = &text;

    const adapters::SendResult result = adapters::send_mail(argv[1], message, options);
    if (result.delivered()) {
        std::printf("delivered: %s\n", result.messages.back().text.c_str());
        return 0;
    }
    std::fprintf(stderr, "not delivered: %s\n", result.detail.c_str());
    return 1;
}
