#include "credentials.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "input_file.hpp"
#include "options.hpp"

namespace smtpcore::cli {
namespace {

std::string first_line(std::string text) {
    const auto eol = text.find('\n');
    if (eol != std::string::npos) text.resize(eol);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
}

// The first line of `file`, else of what `command` prints; empty when
// neither is given. `what` names the secret in errors ("password", "token").
std::string read_secret(const std::string& file, const std::string& command, const std::string& file_option,
                        const std::string& what) {
    if (!file.empty()) {
        require_readable_file(file, file_option);
        std::ifstream in(file, std::ios::binary);
        std::string line;
        std::getline(in, line);
        if (!in && !in.eof()) throw InputMissing{"cannot read " + file_option + " " + file};
        return first_line(line);
    }
    if (command.empty()) return {};
    std::FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) throw InputMissing{"cannot run the " + what + " command"};
    std::string out;
    char buf[512];
    // OAuth access tokens run to a few KiB (Microsoft's are about 2 KiB).
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0 && out.size() < 16384;) out.append(buf, n);
    const int status = pclose(p);
    if (status != 0 || out.empty())
        throw InputMissing{"the " + what + " command failed (" +
                           (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status)) : std::string("killed")) +
                           (out.empty() ? ", no output" : "") + ")"};
    return first_line(out);
}

}  // namespace

std::string read_password(const std::string& file, const std::string& command) {
    if (!file.empty() || !command.empty()) return read_secret(file, command, "--password-file", "password");
    if (const char* env = std::getenv("SMTPCORE_PASSWORD")) return env;
    throw UsageError{"--user needs --password-file F, --password-command CMD or SMTPCORE_PASSWORD"};
}

std::string read_oauth_token(const std::string& file, const std::string& command) {
    const std::string token = read_secret(file, command, "--oauth-token-file", "token");
    if (token.empty()) throw InputMissing{"the OAuth token is empty"};
    return token;
}

void require_pem_file(const std::string& path) {
    require_readable_file(path, "--ca-file");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos &&
        text.str().find("-----BEGIN TRUSTED CERTIFICATE-----") == std::string::npos)
        throw InputMissing{"--ca-file " + path + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"};
}

}  // namespace smtpcore::cli
