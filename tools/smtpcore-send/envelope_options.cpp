// The envelope's extensions from the command line (docs/cli.md, "DSN and REQUIRETLS").
#include "envelope_options.hpp"

#include "options.hpp"

namespace smtpcore::cli {
namespace {

// RFC 3461 §4.1 and sendmail's -N: "never", or a comma-separated list of
// success, failure, delay (case-insensitive).
std::uint8_t parse_notify(const std::string& flag, const std::string& list) {
    std::uint8_t bits = 0;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string word = list.substr(start, end - start);
        for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        if (word == "never") bits |= dsn_notify::Never;
        else if (word == "success") bits |= dsn_notify::Success;
        else if (word == "failure") bits |= dsn_notify::Failure;
        else if (word == "delay") bits |= dsn_notify::Delay;
        else throw UsageError{flag + " takes never, or a list of success,failure,delay (not '" + word + "')"};
        start = end + 1;
    }
    if ((bits & dsn_notify::Never) != 0 && bits != dsn_notify::Never)
        throw UsageError{flag + ": never cannot be combined with success, failure or delay"};
    return bits;
}

}  // namespace

bool parse_envelope_option(const std::string& arg, const std::function<std::string()>& value, EnvelopeChoice& out) {
    if (arg == "--dsn-notify" || arg == "-N") {
        out.request.notify = parse_notify(arg, value());
    } else if (arg == "--dsn-ret" || arg == "-R") {
        const std::string v = value();
        if (v == "full" || v == "FULL") out.request.ret = DsnReturn::Full;
        else if (v == "hdrs" || v == "HDRS") out.request.ret = DsnReturn::Headers;
        else throw UsageError{arg + " takes full or hdrs"};
    } else if (arg == "--dsn-envid" || arg == "-V") {
        out.envid = value();  // checked by the engine at submit() (printable ASCII, 100 octets as xtext)
        if (out.envid.empty()) throw UsageError{arg + " needs an identifier"};
    } else if (arg == "--rcpt-notify") {  // RFC 3461 §4.1 is per RCPT: for the next address option
        out.next_notify = parse_notify(arg, value());
        out.next_notify_pending = true;
    } else if (arg == "--dsn-orcpt") {
        out.orcpt = true;
    } else if (arg == "--dsn-unoffered") {
        const std::string v = value();
        if (v == "drop") out.request.if_unoffered = DsnUnoffered::Drop;
        else if (v == "refuse") out.request.if_unoffered = DsnUnoffered::Refuse;
        else throw UsageError{"--dsn-unoffered takes drop or refuse"};
    } else if (arg == "--require-tls") {
        out.require_tls = true;
        return true;
    } else if (arg == "--tls-required-no") {
        out.tls_required_no = true;
        return true;
    } else {
        return false;
    }
    out.dsn = true;
    return true;
}

void note_recipient_notify(EnvelopeChoice& choice, std::vector<std::uint8_t>& notify, std::size_t addresses) {
    notify.resize(addresses, choice.next_notify_pending ? choice.next_notify : 0);
    choice.next_notify_pending = false;
}

void finish_recipient_notify(EnvelopeChoice& choice, std::size_t to, std::size_t cc, std::size_t bcc, bool sendmail_mode) {
    if (choice.next_notify_pending) throw UsageError{"--rcpt-notify applies to the next --to, --cc or --bcc, and none follows"};
    choice.notify_to.resize(to, 0);
    choice.notify_cc.resize(cc, 0);
    choice.notify_bcc.resize(bcc, 0);
    std::vector<std::uint8_t> all = choice.notify_to;
    all.insert(all.end(), choice.notify_cc.begin(), choice.notify_cc.end());
    all.insert(all.end(), choice.notify_bcc.begin(), choice.notify_bcc.end());
    for (const std::uint8_t n : all) {
        if (n == 0) continue;
        if (sendmail_mode) throw UsageError{"--rcpt-notify does not go with -t: use -N for every recipient"};
        choice.notify_each = all;
        return;
    }
}

bool any_non_ascii(const std::vector<std::string>& addresses) {
    for (const std::string& a : addresses)
        for (const char c : a)
            if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

void apply_envelope_choice(const EnvelopeChoice& choice, const std::vector<std::string_view>& recipients,
                           std::vector<std::string_view>& orcpt_views, DsnRequest& request, Envelope& env) {
    env.smtputf8 = choice.smtputf8;
    env.require_tls = choice.require_tls;
    if (!choice.dsn) return;
    request = choice.request;
    request.envid = choice.envid;
    if (choice.notify_each.size() == recipients.size())
        request.notify_each = Span<const std::uint8_t>(choice.notify_each.data(), choice.notify_each.size());
    if (choice.orcpt) {
        orcpt_views = recipients;
        request.orcpt = Span<const std::string_view>(orcpt_views.data(), orcpt_views.size());
    }
    env.dsn = &request;
}

}  // namespace smtpcore::cli
