// send_mail(): connect, compose, send one message, quit — the familiar
// one-call API, built from the same pieces smtpcore-send uses.
#include <stdexcept>

#include "smtpcore/adapters/host_clock.hpp"
#include "smtpcore/adapters/blocking.hpp"
#include "smtpcore/adapters/dns_connect.hpp"
#include "smtpcore/adapters/dns_driver.hpp"  // fill_random()
#include "smtpcore/adapters/posix_socket.hpp"
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::adapters {

Config make_config(const SendOptions& options) {
    Config config;
    config.client_name = options.client_name;
    config.tls = options.tls;
    config.username = options.username;
    config.password = options.password;
    config.auth = options.auth;
    config.allow_plaintext_auth = options.allow_plaintext_auth;
    config.chunking = options.chunking;
    config.protocol = options.protocol;
    config.timeouts = options.timeouts;
    config.limits.messages_in_flight = options.messages_in_flight;
    // Room for whole server texts in reports, and reads of useful size.
    config.reply_text_capacity = 1024;
    config.recv_capacity = 4096;
    return config;
}

AuthOptions make_auth_options(const SendOptions& options, std::string& random) {
    AuthOptions auth;
    auth.oauth_token = options.oauth_token;
    random.assign(24, '\0');  // 192 bits for the SCRAM client nonce (RFC 5802 §5.1)
    fill_random(MutableBytes(random.data(), random.size()));
    auth.random = as_bytes(random);
    return auth;
}

TlsOptions tls_options_for(const std::string& host, const SendOptions& options) {
    return TlsOptions{host, options.verify, options.ca_file, options.ca_file_only};
}

Connection open_connection(const std::string& server, const SendOptions& options) {
    std::string host, port;
    try {
        split_host_port(server, options.default_port, host, port);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
    Connection c;
    if (options.tls != TlsMode::None) c.tls = make_tls(options.tls_library, tls_options_for(host, options));
    if (options.resolver == NameResolver::Builtin) {
        BuiltinOptions dns;
        dns.servers = options.nameservers;
        BuiltinResolver resolver(dns);
        c.transport = connect_tcp_builtin(resolver, host, port, options.connect_timeout);
    } else {
        c.transport = connect_tcp(host, port, options.connect_timeout);
    }
    return c;
}

namespace {

std::string code_and_text(std::uint16_t code, const std::string& text) {
    return code == 0 ? text : std::to_string(code) + " " + text;
}

// What happened, in the server's words where it had any: the final reply of
// the message, or the engine's reason plus the reply that caused it.
std::string describe(const SendResult& result, const ReportBuilder& reports, const std::string& transport_error) {
    if (!result.messages.empty() && result.messages.back().outcome != EventType::None) {
        const MessageReport& m = result.messages.back();
        std::string d = code_and_text(m.code, m.text);
        if (m.code == 0 && !transport_error.empty()) d += ": " + transport_error;
        return d;
    }
    if (result.error) {
        std::string d = std::string(result.error.reason) + " (" + result.error.where + ")";
        if (reports.last_code() != 0) d += ": " + code_and_text(reports.last_code(), reports.last_text());
        if (!transport_error.empty()) d += ": " + transport_error;
        return d;
    }
    if (!transport_error.empty()) return transport_error;
    return code_and_text(reports.last_code(), reports.last_text());
}

}  // namespace

SendResult send_mail(const std::string& server, const std::string& from, const std::vector<std::string>& recipients,
                     BodySource body, const SendOptions& options) {
    SendResult result;
    const Config config = make_config(options);
    // 64 KiB of send buffer: large writes, few system calls.
    std::string random;
    const AuthOptions auth = make_auth_options(options, random);
    std::vector<char> storage(Client::min_storage(config, auth) + 64 * 1024);
    Client client(config, MutableBytes(storage.data(), storage.size()), auth);
    if (!client.ok()) {
        result.error = client.last_error();
        result.detail = client.last_error().reason;
        return result;
    }
    Connection c;
    try {
        c = open_connection(server, options);
    } catch (const std::exception& e) {
        result.transport = TransportFailure::Io;
        result.detail = e.what();
        return result;
    }

    std::vector<std::string_view> views(recipients.begin(), recipients.end());
    ReportBuilder reports;
    bool submitted = false;
    DriverHooks hooks;
    Error refused;  // submit() refused the envelope (the engine itself goes on, and QUITs)
    hooks.on_event = [&](const Event& ev) {
        reports.on_event(ev);
        if (ev.type == EventType::Error && client.ok() && !refused) refused = ev.error;
    };
    hooks.next_message = [&](const Client&, Outgoing& next) {
        if (submitted) return false;
        submitted = true;
        next.envelope.from = from;
        next.envelope.recipients = Span<const std::string_view>(views.data(), views.size());
        next.envelope.dsn = options.dsn;                  // RFC 3461
        next.envelope.require_tls = options.require_tls;  // RFC 8689
        next.body = body;
        reports.begin(next.envelope);
        return true;
    };
    Driver driver(client, std::move(c.transport), std::move(c.tls), std::move(hooks));
    run_blocking(driver);

    result.messages = std::move(reports.messages());
    result.transport = driver.transport_failure();
    result.close_problem = driver.close_problem();
    // After QUIT an engine error (a malformed reply to it, a timeout) only
    // concerns the close: the message's outcome stands.
    if (!driver.quit_sent()) result.error = reports.error();
    if (refused) result.error = refused;  // before the QUIT: it is why nothing was sent
    result.detail = describe(result, reports, driver.transport_error());
    return result;
}

SendResult send_mail(const std::string& server, const mime::Message& message, const SendOptions& options,
                     const std::vector<std::string>& bcc) {
    // RFC 5322 §3.6: Date is required, Message-ID should be there. The
    // caller's win; the host's clock and randomness fill the gaps.
    mime::Message filled = message;
    const mime::DateTime now = local_now();
    if (filled.date == nullptr) filled.date = &now;
    unsigned char id_random[16];
    std::string id_domain;
    if (filled.message_id.empty() && filled.message_id_random.empty()) {
        random_octets(id_random, sizeof id_random);
        filled.message_id_random = Bytes(reinterpret_cast<const char*>(id_random), sizeof id_random);
        const auto at = message.from.address.rfind('@');
        id_domain = at == std::string_view::npos ? options.client_name : std::string(message.from.address.substr(at + 1));
        if (filled.message_id_domain.empty()) filled.message_id_domain = id_domain;
    }
    mime::MessageWriter writer;
    if (const mime::MimeError e = writer.start(filled)) {
        SendResult result;
        result.error = Error{ErrorKind::InvalidInput, e.reason, e.field};
        result.detail = std::string(e.field) + ": " + e.reason;
        return result;
    }
    std::vector<std::string> recipients;
    for (const mime::Mailbox& m : message.to) recipients.emplace_back(m.address);
    for (const mime::Mailbox& m : message.cc) recipients.emplace_back(m.address);
    recipients.insert(recipients.end(), bcc.begin(), bcc.end());
    return send_mail(server, std::string(message.from.address), recipients, writer.source(), options);
}

}  // namespace smtpcore::adapters
