// smtpcore-send: send mail from the command line (docs/cli.md, smtpcore-send(1)).
//
// Everything SMTP is the engine's; this file wires the options, the message
// (composed, or read raw for -t), the adapters' Driver and the report together.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "composition.hpp"
#include "hints.hpp"
#include "options.hpp"
#include "outcome.hpp"
#include "progress.hpp"
#include "report_runs.hpp"
#include "sendmail_input.hpp"
#include "server_address.hpp"
#include "smtpcore/adapters/blocking.hpp"
#include "transcript.hpp"

#ifndef SMTPCORE_VERSION
#define SMTPCORE_VERSION "unknown"
#endif

using namespace smtpcore;
using namespace smtpcore::cli;

namespace {

// Refuse CR, LF, NUL and other controls in addresses before connecting:
// they could turn data into commands (docs/contributing.md). The engine checks
// again at submit(); this gives the user exit 65 without a connection.
bool bad_address(const std::string& a) {
    for (const char c : a)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    return false;
}

// Every address names its value when refused (RFC 5321 §4.1.2 Mailbox, loosely).
void check_address(const std::string& what, const std::string& a) {
    if (bad_address(a)) throw DataError{"control character in " + what + " address '" + a + "'"};
    if (a.empty() || a.find('@') == std::string::npos || a.front() == '@' || a.back() == '@')
        throw DataError{what + " address '" + a + "' is not local@domain"};
}

int run(Options& o) {
    // The message: composed from options, or read raw (sendmail -t).
    std::unique_ptr<Composition> composition;
    SendmailInput raw;
    std::unique_ptr<SendmailSource> raw_source;
    std::vector<std::string> recipients;
    if (o.sendmail_mode) {
        read_sendmail_input(o.dot_is_data, AddedFields{split_named_address(o.from).address, o.full_name}, raw);
        recipients = raw.recipients;
        // msmtp and sendmail: --to/--cc/--bcc and operands add to the header's recipients.
        for (auto* list : {&o.to, &o.cc, &o.bcc, &o.arg_recipients})
            for (const std::string& a : *list) recipients.push_back(split_named_address(a).address);
        if (o.from.empty()) o.from = raw.from;
        if (o.from.empty()) throw UsageError{"-t needs -f ADDR, a From: field or a configuration file's from"};
        if (recipients.empty()) throw UsageError{"no recipients: none in To/Cc/Bcc and none given"};
        o.from = split_named_address(o.from).address;
    } else {
        // RFC 6531/6532: a UTF-8 address anywhere needs SMTPUTF8, in the
        // envelope and in the header fields the writer composes.
        std::vector<std::string> all = o.to;
        for (auto* list : {&o.cc, &o.bcc, &o.reply_to}) all.insert(all.end(), list->begin(), list->end());
        all.push_back(o.from);
        o.extensions.smtputf8 = any_non_ascii(all);
        composition = std::make_unique<Composition>(o);
        if (const mime::MimeError e = composition->validate()) {
            std::fprintf(stderr, "smtpcore-send: bad message: %s\n", composition->describe(e).c_str());
            return kDataError;
        }
        for (auto* list : {&o.to, &o.cc, &o.bcc})
            for (const std::string& a : *list) recipients.push_back(split_named_address(a).address);
        o.from = split_named_address(o.from).address;  // the envelope's; the header keeps the name
    }
    if (!o.from.empty()) check_address("sender", o.from);  // "<>": the null reverse-path (RFC 5321 §4.5.5)
    for (const std::string& r : recipients) check_address("recipient", r);
    if (o.sendmail_mode) o.extensions.smtputf8 = any_non_ascii(recipients) || any_non_ascii({o.from});

    if (const Millis wait = greeting_wait(o)) o.send.timeouts.greeting = wait;
    const Config config = adapters::make_config(o.send);
    std::string random;  // the SCRAM nonce's octets, kept for the Client's life
    const AuthOptions auth = adapters::make_auth_options(o.send, random);
    std::vector<char> storage(Client::min_storage(config, auth) + 64 * 1024);
    Client client(config, MutableBytes(storage.data(), storage.size()), auth);
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
        connection = open_chosen_connection(o.server, o.send, o.resolver);
    } catch (const HostUnknown& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        return kNoHost;
    } catch (const ResolverBusy& e) {
        std::fprintf(stderr, "smtpcore-send: %s (temporary; try again later)\n", e.message.c_str());
        return kTempFail;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.what());
        return kTempFail;
    }
    if (o.verbose) transcript.note("connected to " + o.server);

    std::vector<std::string_view> views(recipients.begin(), recipients.end());
    std::vector<std::string_view> orcpt_views;  // DSN (RFC 3461): live as long as the session
    DsnRequest dsn;
    bool warned_dsn = false;
    ReportRuns reports;  // --count copies that go alike share one report
    ProgressBar progress;
    unsigned submitted = 0;
    bool refused_8bit = false;
    adapters::DriverHooks hooks;
    hooks.on_event = [&](const Event& ev) {
        reports.on_event(ev);
        if (ev.dsn_dropped && !warned_dsn) {  // the server lacks DSN and --dsn-unoffered is drop
            progress.pause();
            std::fprintf(stderr, "smtpcore-send: the server does not offer DSN (RFC 3461): sent without the DSN requests\n");
            warned_dsn = true;
        }
        if (ev.type == EventType::MessageAccepted) progress.finish(true);
        if (ev.type == EventType::MessageRejected || ev.type == EventType::MessageUnknown) progress.finish(false);
    };
    hooks.next_message = [&](const Client& c, adapters::Outgoing& next) {
        if (submitted == o.count) return false;
        next.envelope.from = o.from;
        next.envelope.recipients = Span<const std::string_view>(views.data(), views.size());
        apply_envelope_choice(o.extensions, views, orcpt_views, dsn, next.envelope);
        const bool eight_bit_ok = c.capabilities().has(Extension::EightBitMime);
        if (composition) {
            if (!composition->restart(c.capabilities())) {
                std::fprintf(stderr, "smtpcore-send: an input cannot be read again for copy %u\n", submitted + 1);
                return false;
            }
            next.body = composition->source();
            next.envelope.size_hint = composition->expected_size();
            next.envelope.body = eight_bit_ok ? BodyType::EightBitMime : BodyType::SevenBit;
            progress.start(composition->source_total());
        } else {
            // RFC 6152 §3: 8-bit octets need BODY=8BITMIME, which the server must offer.
            if (raw.eight_bit && !eight_bit_ok) {
                refused_8bit = true;
                return false;
            }
            raw_source = std::make_unique<SendmailSource>(raw);
            next.body = raw_source->source();
            next.envelope.size_hint = raw.size();
            next.envelope.body = raw.eight_bit ? BodyType::EightBitMime : BodyType::SevenBit;
            progress.start(raw.size());
        }
        ++submitted;
        reports.begin(next.envelope);
        return true;
    };
    hooks.on_body_progress = [&](std::uint64_t sent) {
        progress.update(composition ? composition->source_consumed() : sent);
    };
    if (o.verbose || dump) {  // else no call per socket read and write
        hooks.on_wire = [&](adapters::Direction d, Bytes bytes) {
            if (o.verbose) {
                progress.pause();  // the transcript line starts at column 0; the bar comes back on the next update
                transcript.on_wire(d, bytes);
            }
            if (dump && d == adapters::Direction::Received)
                dump->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        };
    }
    hooks.on_tls = [&](const std::string& what) {
        progress.pause();
        if (o.verbose) transcript.note("TLS established: " + what);
    };

    adapters::Driver driver(client, std::move(connection.transport), std::move(connection.tls), std::move(hooks));
    adapters::run_blocking(driver);
    progress.finish(false);
    if (refused_8bit) {
        std::fprintf(stderr, "smtpcore-send: not sent: the message has octets over 127 and the server does not offer "
                             "8BITMIME (RFC 6152); encode it (quoted-printable or base64) or use another server\n");
        return kDataError;
    }

    SessionSummary summary;
    reports.finish(summary.messages, summary.repeats);
    summary.error = reports.error();
    summary.closing_code = reports.last_code();
    summary.closing_text = closing_words(reports.last_code(), reports.last_text());
    summary.transport = driver.transport_failure();
    summary.transport_error = driver.transport_error();
    summary.quit_sent = driver.quit_sent();
    summary.close_problem = driver.close_problem();
    summary.wanted = o.count;
    if (o.verbose)
        transcript.note(std::to_string(summary.message_count()) + " message(s) in " +
                        std::to_string(adapters::monotonic_ms() - started) + " ms");
    for (const auto& m : summary.messages) o.mx.maybe_delivered |= m.outcome == EventType::MessageUnknown;
    return hint_and_adjust(summary, o, report_and_exit_code(summary, o.verbose));
}

}  // namespace

int main(int argc, char** argv) {
#ifdef _WIN32
    use_utf8_arguments(argc, argv);  // windows/posix_compat.hpp
#endif
    try {
        Options o = parse_options(argc, argv);
        return o.mx.enabled ? run_mx(o, run) : run(o);
    } catch (const HelpRequested&) {
        print_usage(stdout);
        return kDelivered;
    } catch (const VersionRequested&) {
        std::printf("smtpcore-send %s\n", SMTPCORE_VERSION);
        return kDelivered;
    } catch (const UsageError& e) {
        if (!e.message.empty()) std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        std::fputs("Try 'smtpcore-send --help' or man smtpcore-send.\n", stderr);
        return kUsage;
    } catch (const InputMissing& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        return kNoInput;
    } catch (const DataError& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        return kDataError;
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.message.c_str());
        return kConfig;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "smtpcore-send: %s\n", e.what());
        return kTempFail;
    }
}
