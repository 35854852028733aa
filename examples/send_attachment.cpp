// A message with a file attached, streamed from disk: the file is never held
// in memory, whatever its size (FileSource + the MIME writer's base64).
//
//   send_attachment HOST:PORT FROM TO FILE
#include <cstdio>
#include <cstdlib>
#include <string>

#include <smtpcore/adapters/blocking.hpp>
#include <smtpcore/adapters/file_source.hpp>

using namespace smtpcore;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s HOST:PORT FROM TO FILE\n", argv[0]);
        return 64;
    }
    adapters::FileSource file(argv[4]);
    if (!file.ok()) {
        std::fprintf(stderr, "%s\n", file.error().c_str());
        return 66;
    }
    adapters::SendOptions options;
    if (const char* user = std::getenv("SMTP_USER")) options.username = user;
    if (const char* password = std::getenv("SMTP_PASSWORD")) options.password = password;
    if (const char* ca = std::getenv("SMTP_CA_FILE")) options.ca_file = ca;  // e.g. a private CA

    const std::string path = argv[4];
    const std::string name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0: no slash
    mime::Part attachment;
    attachment.content_type = "application/octet-stream";
    attachment.source = file.source();
    attachment.filename = name;

    mime::Part text;
    text.data = as_bytes("The file is attached.\n");
    const mime::Mailbox to[] = {{"", argv[3]}};
    mime::Message message;
    message.from = {"", argv[2]};
    message.to = Span<const mime::Mailbox>(to);
    message.subject = name;
    message.text = &text;
    message.attachments = Span<const mime::Part>(&attachment, 1);

    const adapters::SendResult result = adapters::send_mail(argv[1], message, options);
    if (result.delivered()) return 0;
    std::fprintf(stderr, "not delivered: %s\n", result.detail.c_str());
    return 1;
}
