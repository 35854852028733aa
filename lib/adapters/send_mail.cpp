// send_mail(): connect, compose, send one message, quit — the familiar
// one-call API, built from the same pieces smtpcore-send uses.
#include <stdexcept>

#include "smtpcore/adapters/blocking.hpp"
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
    config.timeouts = options.timeouts;
    // Room for whole server texts in reports, and reads of useful size.
    config.reply_text_capacity = 1024;
    config.recv_capacity = 4096;
    return config;
}

Connection open_connection(const std::string& server, const SendOptions& options) {
    std::string host, port;
    try {
        split_host_port(server, options.default_port, host, port);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
    Connection c;
    if (options.tls != TlsMode::None) c.tls = make_openssl_tls(TlsOptions{host, options.verify, options.ca_file});
    c.transport = connect_tcp(host, port, options.connect_timeout);
    return c;
}

SendResult send_mail(const std::string& server, const std::string& from, const std::vector<std::string>& recipients,
                     BodySource body, const SendOptions& options) {
    SendResult result;
    const Config config = make_config(options);
    // 64 KiB of send buffer: large writes, few system calls.
    std::vector<char> storage(Client::min_storage(config) + 64 * 1024);
    Client client(config, MutableBytes(storage.data(), storage.size()));
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
    hooks.on_event = [&](const Event& ev) { reports.on_event(ev); };
    hooks.next_message = [&](const Client&, Outgoing& next) {
        if (submitted) return false;
        submitted = true;
        next.envelope.from = from;
        next.envelope.recipients = Span<const std::string_view>(views.data(), views.size());
        next.body = body;
        reports.begin(next.envelope);
        return true;
    };
    Driver driver(client, std::move(c.transport), std::move(c.tls), std::move(hooks));
    run_blocking(driver);

    result.messages = std::move(reports.messages());
    result.error = reports.error();
    result.transport = driver.transport_failure();
    if (!driver.transport_error().empty()) result.detail = driver.transport_error();
    else if (result.error) result.detail = std::string(result.error.reason) + " (" + result.error.where + ")";
    else if (!result.messages.empty()) result.detail = result.messages.back().text;
    else result.detail = reports.last_text();
    return result;
}

SendResult send_mail(const std::string& server, const mime::Message& message, const SendOptions& options,
                     const std::vector<std::string>& bcc) {
    mime::MessageWriter writer;
    if (const mime::MimeError e = writer.start(message)) {
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
