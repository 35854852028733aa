// Command-line parsing for smtpcore-send: GNU-style long options (also as
// --option=value), sendmail's short flags (values attached or separate), "--",
// then the configuration file for whatever the command line left unset.
// docs/cli.md and smtpcore-send.1.scd describe every option.
#include "options.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "config_file.hpp"
#include "credentials.hpp"
#include "header_options.hpp"
#include "server_address.hpp"

namespace smtpcore::cli {

void print_usage(std::FILE* to) {
    std::fputs(
        "usage: smtpcore-send [--config F] [-a|--account NAME] --server HOST:PORT [--tls none|starttls|implicit]\n"
        "         [--tls-library openssl|mbedtls|schannel] [--insecure] [--ca-file F [--ca-file-only]]\n"
        "         [--user U] [--password-file F | --password-command CMD]\n"
        "         [--allow-plaintext-auth] [--auth MECHANISM] [--oauth-token-file F | --oauth-token-command CMD]\n"
        "         --from ADDR [--to ADDRS]... [--cc ADDRS]...\n"
        "         [--bcc ADDRS]... [--reply-to ADDRS]... [--subject TEXT] [--body-file F|- | --body TEXT]\n"
        "         [[--attach-type TYPE] [--attach-name NAME] --attach FILE]... [--header 'Name: value']...\n"
        "         [--ehlo NAME] [--timeout SECONDS] [--count N] [--chunking auto|never|always] [--lmtp]\n"
        "         [--dump-server-bytes F] [-v|--verbose] [< body]\n"
        "         [--resolver system|builtin] [--nameserver ADDR[:PORT]]... [--mx [--mx-port N]]\n"
        "         [--dsn-notify never|success,failure,delay] [--dsn-ret full|hdrs] [--dsn-envid ID] [--dsn-orcpt]\n"
        "         [--dsn-unoffered drop|refuse] [--require-tls] [--tls-required-no]\n"
        "         [--rcpt-notify never|success,failure,delay (for the next --to/--cc/--bcc)]\n"
        "       smtpcore-send -t [-i|-oi] [-f|-r ADDR] [-F NAME] [-B 7BIT|8BITMIME] [-N DSN] [-R RET] [-V ENVID] [options]\n"
        "         [--] [recipient...] < message\n"
        "       sendmail [sendmail flags] [recipient...] < message     (a link named sendmail: -t implied)\n"
        "       smtpcore-send --help | --version\n"
        "The password comes from --password-file, --password-command, SMTPCORE_PASSWORD or the configuration file.\n"
        "Exit: 0 delivered, 64 usage, 65 bad data, 66 no input, 68 unknown host, 69 permanent failure,\n"
        "      75 temporary failure, 76 protocol/TLS failure, 77 authentication failure, 78 configuration error.\n"
        "See smtpcore-send(1).\n",
        to);
}

namespace {

[[noreturn]] void usage(const std::string& message) { throw UsageError{message}; }

// --auth NAME for the mechanisms beyond PLAIN and LOGIN (lower or upper case).
bool parse_sasl_mechanism(const std::string& name, AuthChoice& out) {
    static const std::pair<const char*, AuthChoice> kNames[] = {
        {"xoauth2", AuthChoice::XOAuth2},          {"oauthbearer", AuthChoice::OAuthBearer},
        {"scram-sha-256", AuthChoice::ScramSha256}, {"scram-sha-256-plus", AuthChoice::ScramSha256Plus},
        {"cram-md5", AuthChoice::CramMd5},
    };
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [text, choice] : kNames)
        if (lower == text) {
            out = choice;
            return true;
        }
    return false;
}

unsigned long number(const std::string& flag, const std::string& value, unsigned long max) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || n == 0 || n > max) usage(flag + " needs a number from 1 to " + std::to_string(max));
    return n;
}

// Long options that take a value (so "--name=value" and "--name value" are the same).
const std::set<std::string> kWithValue = {
    "--server", "--tls", "--tls-library", "--ca-file", "--user", "--password-file", "--password-command", "--auth", "--chunking", "--from",
    "--to", "--cc", "--bcc", "--reply-to", "--subject", "--body", "--body-file", "--attach", "--attach-type",
    "--attach-name", "--header", "--ehlo", "--timeout", "--count", "--dump-server-bytes", "--config", "--account",
    "--resolver", "--nameserver", "--mx-port", "--dsn-notify", "--rcpt-notify", "--dsn-ret", "--dsn-envid", "--dsn-unoffered",
    "--oauth-token-file", "--oauth-token-command"};
const std::set<std::string> kFlags = {"--insecure", "--ca-file-only", "--allow-plaintext-auth", "--verbose", "--help", "--version", "--mx",
                                      "--dsn-orcpt", "--require-tls", "--tls-required-no", "--lmtp"};

bool on(const std::string& v) { return v == "on" || v.empty(); }

void set_timeout(Options& o, unsigned long seconds) {
    const Millis t = seconds * 1000;
    o.send.timeouts = Timeouts::all(t);
    o.send.connect_timeout = t;
    o.timeout_given = true;
}

}  // namespace

NamedAddress split_named_address(const std::string& argument) {
    const auto open = argument.rfind('<');
    if (open == std::string::npos || argument.empty() || argument.back() != '>') return {"", argument};
    std::string name = argument.substr(0, open);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        // RFC 5322 §3.2.4: a quoted-string's backslash pairs stand for the
        // character itself; the writer quotes and escapes again as needed.
        const std::string quoted = name.substr(1, name.size() - 2);
        name.clear();
        for (std::size_t i = 0; i < quoted.size(); ++i) {
            if (quoted[i] == '\\' && i + 1 < quoted.size()) ++i;
            name += quoted[i];
        }
    }
    return {name, argument.substr(open + 1, argument.size() - open - 2)};
}

// LMTP (RFC 2033) is for a mail store the caller names: never to MX hosts,
// never on the SMTP port (§5), and with DATA only (no BDAT in the engine).
static void check_lmtp_options(const Options& o) {
    if (o.mx.enabled) usage("--lmtp delivers to the mail store --server names: it does not combine with --mx");
    if (o.send.chunking == ChunkingPolicy::Always) usage("--lmtp sends DATA: --chunking always does not apply");
    check_lmtp_server(o.server);
}

Options parse_options(int argc, char** argv) {
    Options o;
    std::string tls, tls_library, auth, chunking, config_path, account;
    bool have_user = false, after_dashes = false, verify_given = false;
    Attachment pending;
    bool pending_used = false;
    std::set<std::string> given;
    const char* slash = std::strrchr(argv[0], '/');
    if (std::strcmp(slash != nullptr ? slash + 1 : argv[0], "sendmail") == 0) o.sendmail_mode = true;

    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string inline_value;
        bool has_inline = false;
        if (after_dashes || arg.empty() || arg[0] != '-' || arg == "-") {
            if (o.sendmail_mode) o.arg_recipients.push_back(arg);
            else usage("unexpected argument " + arg + " (recipients go after --to, or use -t)");
            continue;
        }
        if (arg == "--") {
            after_dashes = true;
            continue;
        }
        if (arg.size() > 2 && arg.find_first_not_of("tiv", 1) == std::string::npos) {  // getopt-style -ti
            for (std::size_t k = 1; k < arg.size(); ++k) {
                o.sendmail_mode = o.sendmail_mode || arg[k] == 't';
                o.dot_is_data = o.dot_is_data || arg[k] == 'i';
                o.verbose = o.verbose || arg[k] == 'v';
            }
            continue;
        }
        if (arg.rfind("--", 0) == 0) {
            if (const auto eq = arg.find('='); eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
                has_inline = true;
            }
            if (!kWithValue.count(arg) && !kFlags.count(arg)) usage("unknown option " + arg);
            if (has_inline && kFlags.count(arg)) usage(arg + " takes no value");
        } else if (arg.size() > 2 && std::strchr("frFBNRVaC", arg[1]) != nullptr) {
            inline_value = arg.substr(2);  // sendmail style: -fADDR, -FCron
            arg = arg.substr(0, 2);
            has_inline = true;
        }
        auto value = [&]() -> std::string {
            if (has_inline) return inline_value;
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        // Each address list keeps a NOTIFY per address (a --rcpt-notify before it).
        auto add_addresses = [&](std::vector<std::string>& list, std::vector<std::uint8_t>& notify) {
            for (auto& a : split_address_list(value())) list.push_back(a);
            note_recipient_notify(o.extensions, notify, list.size());
        };
        given.insert(arg);
        if (arg == "--server") o.server = value();
        else if (arg == "--tls") { tls = value(); o.mx.tls_given = true; }
        else if (arg == "--tls-library") tls_library = value();
        else if (arg == "--insecure") { o.send.verify = false; verify_given = true; }
        else if (arg == "--ca-file") o.send.ca_file = value();
        else if (arg == "--ca-file-only") o.send.ca_file_only = true;
        else if (arg == "--user") { o.send.username = value(); have_user = true; }
        else if (arg == "--password-file") o.password_file = value();
        else if (arg == "--password-command") o.password_command = value();
        else if (arg == "--oauth-token-file") o.oauth_token_file = value();
        else if (arg == "--oauth-token-command") o.oauth_token_command = value();
        else if (arg == "--password") usage("--password is not accepted: the command line is visible to other users; use --password-file, --password-command or SMTPCORE_PASSWORD");
        else if (arg == "--allow-plaintext-auth") o.send.allow_plaintext_auth = true;
        else if (arg == "--auth") auth = value();
        else if (arg == "--chunking") chunking = value();
        else if (arg == "--lmtp") o.send.protocol = Protocol::Lmtp;
        else if (arg == "--from" || arg == "-f" || arg == "-r") o.from = value();
        else if (arg == "-F") o.full_name = value();
        else if (arg == "--to") add_addresses(o.to, o.extensions.notify_to);
        else if (arg == "--cc") add_addresses(o.cc, o.extensions.notify_cc);
        else if (arg == "--bcc") add_addresses(o.bcc, o.extensions.notify_bcc);
        else if (arg == "--reply-to") for (auto& a : split_address_list(value())) o.reply_to.push_back(a);
        else if (arg == "--subject") o.subject = value();
        else if (arg == "--body") { o.body_text = value(); o.have_body_text = true; }
        else if (arg == "--body-file") o.body_file = value();
        else if (arg == "--attach-type") { pending.type = value(); pending_used = true; }
        else if (arg == "--attach-name") { pending.name = value(); pending_used = true; }
        else if (arg == "--attach") {
            pending.path = value();
            o.attachments.push_back(pending);
            pending = Attachment{};
            pending_used = false;
        }
        else if (arg == "--header") o.headers.push_back(value());
        else if (arg == "--ehlo") o.send.client_name = value();
        else if (arg == "--timeout") set_timeout(o, number(arg, value(), 86400));
        else if (arg == "--count") o.count = static_cast<unsigned>(number(arg, value(), 1000000));
        else if (arg == "-v" || arg == "--verbose") o.verbose = true;
        else if (arg == "-t") o.sendmail_mode = true;
        else if (arg == "-i" || arg == "-oi") o.dot_is_data = true;
        else if (arg.rfind("-o", 0) == 0) {}  // -oem, -oep, -odi, -odb...: reports always go to stderr, delivery is now
        else if (arg == "-B") {
            const std::string b = value();
            if (b != "7BIT" && b != "8BITMIME") usage("-B takes 7BIT or 8BITMIME");
        }
        else if (arg == "--dump-server-bytes") o.dump_server_bytes = value();
        else if (arg == "--config" || arg == "-C") config_path = value();  // -C: msmtp's and sendmail's
        else if (arg == "-bm") {}  // sendmail: deliver mail the usual way
        else if (arg == "-a" || arg == "--account") account = value();
        else if (parse_resolver_option(arg, value, o.resolver) || parse_mx_option(arg, value, o.mx) ||
                 parse_envelope_option(arg, value, o.extensions)) {}
        else if (arg == "-h" || arg == "--help") throw HelpRequested{};
        else if (arg == "--version") throw VersionRequested{};
        else usage("unknown option " + arg);
    }
    if (pending_used) usage("--attach-type and --attach-name apply to the next --attach, and none follows");
    finish_recipient_notify(o.extensions, o.to.size(), o.cc.size(), o.bcc.size(), o.sendmail_mode);

    // The configuration file fills in what the command line did not say.
    const std::string config = find_config(config_path);
    if (config.empty() && !account.empty()) usage("-a " + account + ": no configuration file found");
    if (!config.empty()) {
        AccountSettings c = load_account(config, account);
        auto has = [&](const char* k) { return c.count(k) > 0; };
        if (o.server.empty() && has("host")) o.server = bracket_host(c["host"]) + (has("port") ? ":" + c["port"] : "");
        if (o.from.empty() && has("from")) o.from = c["from"];
        const bool auth_off = has("auth") && c["auth"] == "off";
        if (!have_user && has("user") && !auth_off) { o.send.username = c["user"]; have_user = true; }
        if (auth.empty() && has("auth") && c["auth"] != "on" && c["auth"] != "off") auth = c["auth"];
        if (tls.empty() && has("tls"))
            tls = !on(c["tls"]) ? "none" : (has("tls_starttls") && !on(c["tls_starttls"])) ? "implicit" : "starttls";
        if (o.send.ca_file.empty() && has("tls_trust_file") && c["tls_trust_file"] != "system") o.send.ca_file = c["tls_trust_file"];
        if (!verify_given && has("tls_certcheck")) o.send.verify = on(c["tls_certcheck"]);
        if (!given.count("--ehlo") && has("domain")) o.send.client_name = c["domain"];
        if (!o.timeout_given && has("timeout") && c["timeout"] != "off") set_timeout(o, number("timeout", c["timeout"], 86400));
        if (have_user && o.password_file.empty() && o.password_command.empty() && std::getenv("SMTPCORE_PASSWORD") == nullptr) {
            if (has("password") && !c["password"].empty()) o.send.password = c["password"];
            else if (has("passwordeval")) o.password_command = c["passwordeval"];  // an empty password line clears an inherited one
        }
    }

    if (o.server.empty() && !o.mx.enabled) usage("--server HOST:PORT is required (or a configuration file with host, or --mx)");
    if (tls.empty() || tls == "starttls") o.send.tls = TlsMode::StartTlsRequired;
    else if (tls == "none") o.send.tls = TlsMode::None;
    else if (tls == "implicit") o.send.tls = TlsMode::Implicit;
    else usage("--tls takes none, starttls or implicit");
    if (tls_library.empty()) o.send.tls_library = adapters::default_tls_library;
    else if (tls_library == "openssl") o.send.tls_library = adapters::TlsLibrary::OpenSsl;
    else if (tls_library == "mbedtls") o.send.tls_library = adapters::TlsLibrary::MbedTls;
    else if (tls_library == "schannel") o.send.tls_library = adapters::TlsLibrary::Schannel;
    else usage("--tls-library takes openssl, mbedtls or schannel");
    if (!adapters::tls_library_built(o.send.tls_library)) usage("--tls-library " + tls_library + ": not built into this smtpcore-send");
    o.send.default_port = o.send.tls == TlsMode::Implicit ? "465" : "587";  // RFC 8314 §3.3, RFC 6409
    if (!o.mx.enabled) check_server_syntax(o.server, o.send.default_port);

    if (auth.empty() || auth == "auto") o.send.auth = AuthChoice::Auto;
    else if (auth == "plain" || auth == "PLAIN") o.send.auth = AuthChoice::Plain;
    else if (auth == "login" || auth == "LOGIN") o.send.auth = AuthChoice::Login;
    else if (!parse_sasl_mechanism(auth, o.send.auth))
        usage("--auth takes auto, plain, login, xoauth2, oauthbearer, scram-sha-256, scram-sha-256-plus or cram-md5");
    // RFC 3030 BDAT: auto uses it when the server offers CHUNKING; never is
    // for servers that stall on it; always fails a message the server cannot take so.
    if (chunking.empty() || chunking == "auto") o.send.chunking = ChunkingPolicy::Auto;
    else if (chunking == "never") o.send.chunking = ChunkingPolicy::Never;
    else if (chunking == "always") o.send.chunking = ChunkingPolicy::Always;
    else usage("--chunking takes auto, never or always");
    if (o.send.protocol == Protocol::Lmtp) check_lmtp_options(o);

    const bool token_given = !o.oauth_token_file.empty() || !o.oauth_token_command.empty();
    if (token_given && !have_user) usage("--oauth-token-file and --oauth-token-command need --user (the account the token is for)");
    if (token_given) o.send.oauth_token = read_oauth_token(o.oauth_token_file, o.oauth_token_command);
    if ((o.send.auth == AuthChoice::XOAuth2 || o.send.auth == AuthChoice::OAuthBearer) && !token_given)
        usage("--auth " + auth + " needs --oauth-token-file F or --oauth-token-command CMD");
    if (have_user && !token_given) {
        if (o.send.password.empty()) o.send.password = read_password(o.password_file, o.password_command);
    } else if (!have_user && (!o.password_file.empty() || !o.password_command.empty())) {
        usage("--password-file and --password-command need --user");
    }
    if (o.send.ca_file_only && o.send.ca_file.empty())
        usage("--ca-file-only needs --ca-file F (or tls_trust_file in the configuration file): nothing would be trusted");
    if (!o.send.ca_file.empty()) require_pem_file(o.send.ca_file);

    if (o.extensions.require_tls && !o.send.verify)
        usage("--require-tls needs the server's certificate verified (RFC 8689 §4.2.1): drop --insecure");
    if (o.extensions.tls_required_no && o.sendmail_mode)
        usage("--tls-required-no adds a header field: with -t, write \"TLS-Required: No\" in the message");
    if (o.sendmail_mode) {
        if (o.have_body_text || !o.body_file.empty() || !o.attachments.empty() || !o.subject.empty() ||
            !o.headers.empty() || !o.reply_to.empty())
            usage("-t reads the whole message from standard input: --subject/--body/--attach/--header/--reply-to do not apply");
    } else {
        if (o.from.empty()) usage("--from ADDR is required");
        if (o.to.empty() && o.cc.empty() && o.bcc.empty()) usage("at least one --to, --cc or --bcc is required");
        if (o.have_body_text && !o.body_file.empty()) usage("--body and --body-file exclude each other");
        // mail(1), msmtp and swaks users pipe the body in.
        // Only a pipe, a file or a socket: not a terminal, /dev/null or a closed descriptor 0.
        bool stdin_attached = false;
        for (const Attachment& a : o.attachments) stdin_attached = stdin_attached || a.path == "-";
        if (stdin_attached && o.body_file == "-") usage("standard input cannot be both --body-file - and --attach -");
        struct stat st {};
        if (!o.have_body_text && o.body_file.empty() && !stdin_attached && fstat(STDIN_FILENO, &st) == 0 &&
            (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode)))
            o.body_file = "-";
    }
    return o;
}

}  // namespace smtpcore::cli
