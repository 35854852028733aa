// Command-line parsing for smtpcore-send. Plain hand-written parsing: the
// interface is small and documented in docs/cli.md.
#include "options.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace smtpcore::cli {

void print_usage() {
    std::fputs(
        "usage: smtpcore-send --server HOST:PORT [--tls none|starttls|implicit] [--insecure] [--ca-file F]\n"
        "         [--user U --password-file F] [--allow-plaintext-auth] [--auth plain|login]\n"
        "         --from ADDR [--to ADDR]... [--cc ADDR]... [--bcc ADDR]... [--subject TEXT]\n"
        "         [--body-file F | --body TEXT] [--attach FILE]... [--header 'Name: value']...\n"
        "         [--ehlo NAME] [--timeout SECONDS] [--count N] [-v]\n"
        "         [--resolver system|builtin] [--nameserver ADDR[:PORT]]... [--mx [--mx-port N]]\n"
        "       smtpcore-send -t [-i] [-f ADDR] --server HOST:PORT [options] [recipient...] < message\n"
        "The password comes from --password-file or the SMTPCORE_PASSWORD environment variable.\n"
        "Exit: 0 delivered, 64 usage, 65 bad data, 66 no input, 69 permanent failure,\n"
        "      75 temporary failure, 76 protocol/TLS failure, 77 authentication failure.\n",
        stderr);
}

namespace {

[[noreturn]] void usage(const std::string& message) { throw UsageError{message}; }

unsigned long number(const std::string& flag, const std::string& value, unsigned long max) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || n == 0 || n > max) usage(flag + " needs a number from 1 to " + std::to_string(max));
    return n;
}

}  // namespace

NamedAddress split_named_address(const std::string& argument) {
    const auto open = argument.rfind('<');
    if (open == std::string::npos || argument.empty() || argument.back() != '>') return {"", argument};
    std::string name = argument.substr(0, open);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    return {name, argument.substr(open + 1, argument.size() - open - 2)};
}

Options parse_options(int argc, char** argv) {
    Options o;
    std::string tls = "starttls";
    std::string auth = "auto";
    bool have_user = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--server") o.server = value();
        else if (arg == "--tls") { tls = value(); o.mx.tls_given = true; }
        else if (arg == "--insecure") o.send.verify = false;
        else if (arg == "--ca-file") o.send.ca_file = value();
        else if (arg == "--user") { o.send.username = value(); have_user = true; }
        else if (arg == "--password-file") o.password_file = value();
        else if (arg == "--password") usage("--password is not accepted: the command line is visible to other users; use --password-file or SMTPCORE_PASSWORD");
        else if (arg == "--allow-plaintext-auth") o.send.allow_plaintext_auth = true;
        else if (arg == "--auth") auth = value();
        else if (arg == "--from" || arg == "-f") o.from = value();
        else if (arg == "--to") o.to.push_back(value());
        else if (arg == "--cc") o.cc.push_back(value());
        else if (arg == "--bcc") o.bcc.push_back(value());
        else if (arg == "--subject") o.subject = value();
        else if (arg == "--body") { o.body_text = value(); o.have_body_text = true; }
        else if (arg == "--body-file") o.body_file = value();
        else if (arg == "--attach") o.attachments.push_back(value());
        else if (arg == "--header") o.headers.push_back(value());
        else if (arg == "--ehlo") o.send.client_name = value();
        else if (arg == "--timeout") {
            const Millis t = number(arg, value(), 86400) * 1000;
            o.send.timeouts = Timeouts::all(t);
            o.send.connect_timeout = t;
        }
        else if (arg == "--count") o.count = static_cast<unsigned>(number(arg, value(), 1000000));
        else if (arg == "-v" || arg == "--verbose") o.verbose = true;
        else if (arg == "-t") o.sendmail_mode = true;
        else if (arg == "-i" || arg == "-oi") o.dot_is_data = true;
        else if (arg == "--dump-server-bytes") o.dump_server_bytes = value();
        else if (parse_resolver_option(arg, value, o.resolver) || parse_mx_option(arg, value, o.mx)) {}
        else if (arg == "-h" || arg == "--help") throw HelpRequested{};
        else if (!arg.empty() && arg[0] == '-') usage("unknown option " + arg);
        else if (o.sendmail_mode) o.arg_recipients.push_back(arg);
        else usage("unexpected argument " + arg + " (recipients go after --to, or use -t)");
    }

    if (o.server.empty() && !o.mx.enabled) usage("--server HOST:PORT is required (or --mx)");
    if (tls == "none") o.send.tls = TlsMode::None;
    else if (tls == "starttls") o.send.tls = TlsMode::StartTlsRequired;
    else if (tls == "implicit") o.send.tls = TlsMode::Implicit;
    else usage("--tls takes none, starttls or implicit");
    o.send.default_port = o.send.tls == TlsMode::Implicit ? "465" : "587";  // RFC 8314 §3.3, RFC 6409

    if (auth == "auto") o.send.auth = AuthChoice::Auto;
    else if (auth == "plain" || auth == "PLAIN") o.send.auth = AuthChoice::Plain;
    else if (auth == "login" || auth == "LOGIN") o.send.auth = AuthChoice::Login;
    else usage("--auth takes plain or login");

    if (have_user) {
        if (!o.password_file.empty()) {
            std::ifstream in(o.password_file, std::ios::binary);
            if (!in) throw InputMissing{"cannot read --password-file " + o.password_file};
            std::getline(in, o.send.password);  // first line; the newline is not part of it
            if (!o.send.password.empty() && o.send.password.back() == '\r') o.send.password.pop_back();
        } else if (const char* env = std::getenv("SMTPCORE_PASSWORD")) {
            o.send.password = env;
        } else {
            usage("--user needs --password-file F or SMTPCORE_PASSWORD");
        }
    } else if (!o.password_file.empty()) {
        usage("--password-file needs --user");
    }

    if (o.sendmail_mode) {
        if (!o.to.empty() || !o.cc.empty() || o.have_body_text || !o.body_file.empty() || !o.attachments.empty() ||
            !o.subject.empty() || !o.headers.empty())
            usage("-t reads the whole message from standard input: --to/--cc/--subject/--body/--attach/--header do not apply");
    } else {
        if (o.from.empty()) usage("--from ADDR is required");
        if (o.to.empty() && o.cc.empty() && o.bcc.empty()) usage("at least one --to, --cc or --bcc is required");
        if (o.have_body_text && !o.body_file.empty()) usage("--body and --body-file exclude each other");
    }
    return o;
}

}  // namespace smtpcore::cli
