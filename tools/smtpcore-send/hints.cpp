#include "hints.hpp"

#include <cstdint>
#include <cstdio>

#include "smtpcore/adapters/posix_socket.hpp"

namespace smtpcore::cli {
namespace {

bool implicit_tls_port(const Options& o) {
    std::string host, port;
    try {
        adapters::split_host_port(o.server, o.send.default_port, host, port);
    } catch (...) {
        return false;
    }
    return port == "465" || port == "993" || port == "995";
}

bool has_code(const SessionSummary& s, std::uint16_t code) {
    if (s.closing_code == code) return true;
    for (const auto& m : s.messages) {
        if (m.code == code) return true;
        for (const auto& r : m.recipients)
            if (r.code == code) return true;
    }
    return false;
}

}  // namespace

std::string closing_words(std::uint16_t code, const std::string& text) {
    if (code == 221) return "";
    if (code == 0 || text.rfind(std::to_string(code), 0) == 0) return text;
    return std::to_string(code) + " " + text;
}

Millis greeting_wait(const Options& o) {
    return o.send.tls != TlsMode::Implicit && !o.timeout_given && implicit_tls_port(o) ? 5000 : 0;
}

int hint_and_adjust(const SessionSummary& s, const Options& o, int code) {
    if (code == kDelivered) return code;
    auto hint = [](const char* text) { std::fprintf(stderr, "hint: %s\n", text); };
    const bool greeting_timeout = s.error.kind == ErrorKind::Timeout && s.messages.empty() &&
                                  std::string(s.error.where).find("greeting") != std::string::npos;
    if (s.error.kind == ErrorKind::TlsRequired && std::string(s.error.reason).find("offer") != std::string::npos)
        hint("the server does not offer STARTTLS; use --tls implicit if it takes TLS from the first byte (port 465), "
             "or --tls none to send in plaintext (then AUTH needs --allow-plaintext-auth)");
    else if (greeting_timeout && o.send.tls != TlsMode::Implicit)
        hint(implicit_tls_port(o) ? "no greeting: port 465 expects TLS from the first byte; use --tls implicit"
                                  : "no greeting: if this server expects TLS from the first byte, use --tls implicit");
    if (has_code(s, 530)) {
        hint(o.send.username.empty() ? "the server requires authentication: give --user U with --password-file, "
                                       "--password-command or SMTPCORE_PASSWORD"
                                     : "the server requires authentication before this command");
        return kNoPerm;
    }
    return code;
}

}  // namespace smtpcore::cli
