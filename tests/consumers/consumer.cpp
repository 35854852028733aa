// A program written against the installed smtpcore only (headers from
// <prefix>/include, libraries from <prefix>/lib): tests/consumers/run.py builds
// it with pkg-config, with CMake and as a Meson subproject, and checks that
// the message reached a loopback server.
//
//   consumer HOST:PORT FROM TO CA_FILE USER PASSWORD
#include <cstdio>
#include <cstring>

#include <smtpcore/adapters/blocking.hpp>
#include <smtpcore/version.hpp>

using namespace smtpcore;

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: %s HOST:PORT FROM TO CA_FILE USER PASSWORD\n", argv[0]);
        return 64;
    }
    // The headers this program was compiled with and the library it runs with.
    if (std::strcmp(version_string(), SMTPCORE_VERSION_STRING) != 0 ||
        version().major != SMTPCORE_VERSION_MAJOR) {
        std::fprintf(stderr, "headers say %s, library says %s\n", SMTPCORE_VERSION_STRING, version_string());
        return 1;
    }

    adapters::SendOptions options;  // STARTTLS required, certificate and host name verified
    options.ca_file = argv[4];
    options.username = argv[5];
    options.password = argv[6];

    const mime::Mailbox to[] = {{"", argv[3]}};
    mime::Part text;
    text.data = as_bytes("Installed smtpcore " SMTPCORE_VERSION_STRING " works.\n");
    mime::Message message;
    message.from = {"Consumer", argv[2]};
    message.to = Span<const mime::Mailbox>(to);
    message.subject = "consumer proof";
    message.text = &text;

    const adapters::SendResult result = adapters::send_mail(argv[1], message, options);
    if (!result.delivered()) {
        std::fprintf(stderr, "not delivered: %s\n", result.detail.c_str());
        return 1;
    }
    std::printf("delivered with smtpcore %s\n", version_string());
    return 0;
}
