// smtpcore-send: send mail from the command line (docs/cli.md).
//
// Everything SMTP is the engine's; this file wires the options, the message
// (composed, or read raw for -t), the adapters' Driver and the report together.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "composition.hpp"
#include "options.hpp"
#include "outcome.hpp"
#include "progress.hpp"
#include "sendmail_input.hpp"
#include "smtpcore/adapters/blocking.hpp"
#include "transcript.hpp"

using namespace smtpcore;
using namespace smtpcore::cli;

namespace {

// Refuse CR, LF, NUL and other controls in addresses before connecting:
// they could turn data into commands (DESIGN invariant 2). The engine checks
// again at submit(); this gives the user exit 65 without a connection.
bool bad_address(const std::string& a) {
    for (const char c : a)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    return false;
}

int run(Options& o) {
    // The message: composed from options, or read raw (sendmail -t).
    std::unique_ptr<Composition> composition;
    SendmailInput raw;
    std::unique_ptr<BufferSource> raw_source;
    std::vector<std::string> recipients;
    if (o.sendmail_mode) {
        raw = parse_sendmail_input(read_stdin_message(o.dot_is_data));
        recipients = raw.recipients;
        recipients.insert(recipients.end(), o.arg_recipients.begin(), o.arg_recipients.end());
        if (o.from.empty()) o.from = raw.from;
        if (o.from.empty()) throw UsageError{"-t needs -f ADDR or a From: field"};
        if (recipients.empty()) throw UsageError{"no recipients: none in To/Cc/Bcc and none given"};
    } else {
        composition = std::make_unique<Composition>(o);
        if (const mime::MimeError e = composition->validate()) {
            std::fprintf(stderr, "smtpcore-send: bad message: %s: %s\n", e.field, e.reason);
            return kDataError;
        }
        for (auto* list : {&o.to, &o.cc, &o.bcc})
            for (const std::string& a : *list) recipients.push_back(split_named_address(a).address);
        o.from = split_named_address(o.from).address;  // the envelope's; the header keeps the name
    }
    if (bad_address(o.from)) {
        std::fprintf(stderr, "smtpcore-send: control character in the sender address\n");
        return kDataError;
    }
    for (const std::string& r : recipients)
        if (bad_address(r)) {
            std::fprintf(stderr, "smtpcore-send: control character in recipient address '%s'\n", r.c_str());
            return kDataError;
        }
    if (!o.send.ca_file.empty() && access(o.send.ca_file.c_str(), R_OK) != 0)
        throw InputMissing{"cannot read --ca-file " + o.send.ca_file};

    const Config config = adapters::make_config(o.send);
    std::vector<char> storage(Client::min_storage(config) + 64 * 1024);
    Client client(config, MutableBytes(storage.data(), storage.size()));
    if (!client.ok()) {
        std::fprintf(stderr, "smtpcore-send: %s\n", client.last_error().reason);
        // Credentials that would go out without TLS: 77, as docs/cli.md says.
        return client.last_error().kind == ErrorKind::InsecureAuth ? kNoPerm : kUsage;
    }

    Transcript transcript(stderr);
    std::unique_ptr<std::ofstream> dump;
    if (!o.dump_server_bytes.empty()) dump = std::make_unique<std::ofstream>(o.dump_server_bytes, std::ios::binary);
    const Millis started = adapters::monotonic_ms();
    adapters::Connection connection;
    try {
        connection = adapters::open_connection(o.server, o.send);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.what());
        return kTempFail;
    }
    if (o.verbose) transcript.note("connected to " + o.server);

    std::vector<std::string_view> views(recipients.begin(), recipients.end());
    adapters::ReportBuilder reports;
    ProgressBar progress;
    unsigned submitted = 0;
    adapters::DriverHooks hooks;
    hooks.on_event = [&](const Event& ev) {
        reports.on_event(ev);
        if (ev.type == EventType::MessageAccepted || ev.type == EventType::MessageRejected ||
            ev.type == EventType::MessageUnknown)
            progress.finish();
    };
    hooks.next_message = [&](const Client& c, adapters::Outgoing& next) {
        if (submitted == o.count) return false;
        next.envelope.from = o.from;
        next.envelope.recipients = Span<const std::string_view>(views.data(), views.size());
        const bool eight_bit_ok = c.capabilities().has(Extension::EightBitMime);
        if (composition) {
            if (!composition->restart(c.capabilities())) return false;
            next.body = composition->source();
            next.envelope.size_hint = composition->expected_size();
            next.envelope.body = eight_bit_ok ? BodyType::EightBitMime : BodyType::SevenBit;
            progress.start(composition->expected_size());
        } else {
            raw_source = std::make_unique<BufferSource>(as_bytes(raw.message));
            next.body = raw_source->source();
            next.envelope.size_hint = raw.message.size();
            // Without 8BITMIME, 8-bit octets go as they are (what sendmail and Postfix do).
            next.envelope.body = raw.eight_bit && eight_bit_ok ? BodyType::EightBitMime : BodyType::SevenBit;
            progress.start(raw.message.size());
        }
        ++submitted;
        reports.begin(next.envelope);
        return true;
    };
    hooks.on_body_progress = [&](std::uint64_t sent) { progress.update(sent); };
    hooks.on_wire = [&](adapters::Direction d, Bytes bytes) {
        if (o.verbose) transcript.on_wire(d, bytes);
        if (dump && d == adapters::Direction::Received) dump->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    };
    hooks.on_tls = [&](const std::string& what) {
        if (o.verbose) transcript.note("TLS established: " + what);
    };

    adapters::Driver driver(client, std::move(connection.transport), std::move(connection.tls), std::move(hooks));
    adapters::run_blocking(driver);
    progress.finish();

    SessionSummary summary;
    summary.messages = std::move(reports.messages());
    summary.error = reports.error();
    summary.closing_code = reports.last_code();
    summary.closing_text = reports.last_text();
    summary.transport = driver.transport_failure();
    summary.transport_error = driver.transport_error();
    summary.wanted = o.count;
    if (o.verbose)
        transcript.note(std::to_string(summary.messages.size()) + " message(s) in " +
                        std::to_string(adapters::monotonic_ms() - started) + " ms");
    return report_and_exit_code(summary, o.verbose);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options o = parse_options(argc, argv);
        return run(o);
    } catch (const HelpRequested&) {
        print_usage();
        return kDelivered;
    } catch (const UsageError& e) {
        if (!e.message.empty()) std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        print_usage();
        return kUsage;
    } catch (const InputMissing& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        return kNoInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.what());
        return kTempFail;
    }
}
