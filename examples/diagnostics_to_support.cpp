// A device mails its diagnostics to support: the output of a command,
// streamed from a pipe while the command still runs, plus a log file from
// disk. Neither is ever held whole in memory.
//
//   diagnostics_to_support HOST:PORT FROM SUPPORT LOGFILE ['COMMAND']
//   SMTP_USER=device SMTP_PASSWORD=... diagnostics_to_support smtp.example.com:587
//       device7@example.com support@example.com /var/log/syslog 'uname -a; df -h; uptime'
// SMTP_CA_FILE adds a trusted CA (a private mail server's).
#include <fcntl.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include <smtpcore/adapters/blocking.hpp>
#include <smtpcore/adapters/file_source.hpp>

using namespace smtpcore;

int main(int argc, char** argv) {
    if (argc < 5 || argc > 6) {
        std::fprintf(stderr, "usage: %s HOST:PORT FROM SUPPORT LOGFILE ['COMMAND']\n", argv[0]);
        return 64;
    }
    const char* command = argc == 6 ? argv[5] : "uname -a; uptime; df -h";
    adapters::FileSource log(argv[4]);
    if (!log.ok()) {
        std::fprintf(stderr, "%s\n", log.error().c_str());
        return 66;
    }
    // The command's output is read from a pipe as it comes. Non-blocking:
    // when the command is slow, the source says Pending and the Driver keeps
    // the SMTP session alive (and its timers running) while it waits.
    FILE* pipe = popen(command, "r");
    if (pipe == nullptr) return 71;
    fcntl(fileno(pipe), F_SETFL, fcntl(fileno(pipe), F_GETFL) | O_NONBLOCK);
    adapters::FileSource output(fileno(pipe), /*owned=*/false);

    adapters::SendOptions options;
    if (const char* user = std::getenv("SMTP_USER")) options.username = user;
    if (const char* password = std::getenv("SMTP_PASSWORD")) options.password = password;
    if (const char* ca = std::getenv("SMTP_CA_FILE")) options.ca_file = ca;

    mime::Part text;
    const std::string intro = std::string("Diagnostics attached: the output of\n\n    ") + command +
                              "\n\nand " + argv[4] + ".\n";
    text.data = as_bytes(intro);
    mime::Part parts[2];
    parts[0].content_type = "text/plain";
    parts[0].source = output.source();
    parts[0].filename = "diagnostics.txt";
    parts[1].content_type = "text/plain";
    parts[1].source = log.source();
    const std::string log_path = argv[4];
    const std::string log_name = log_path.substr(log_path.rfind('/') + 1);
    parts[1].filename = log_name;

    const mime::Mailbox to[] = {{"Support", argv[3]}};
    const mime::DateTime date = mime::date_from_unix(std::time(nullptr), 0);
    mime::Message message;
    message.from = {"", argv[2]};
    message.to = Span<const mime::Mailbox>(to);
    message.subject = "Diagnostics";
    message.date = &date;
    message.text = &text;
    message.attachments = Span<const mime::Part>(parts);

    const adapters::SendResult result = adapters::send_mail(argv[1], message, options);
    pclose(pipe);
    if (result.delivered()) {
        std::printf("sent to support: %s\n", result.messages.back().text.c_str());
        return 0;
    }
    std::fprintf(stderr, "not sent: %s\n", result.detail.c_str());
    return 1;
}
