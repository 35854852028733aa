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

}  // namespace

std::string read_password(const std::string& file, const std::string& command) {
    if (!file.empty()) {
        require_readable_file(file, "--password-file");
        std::ifstream in(file, std::ios::binary);
        std::string line;
        std::getline(in, line);
        if (!in && !in.eof()) throw InputMissing{"cannot read --password-file " + file};
        return first_line(line);
    }
    if (!command.empty()) {
        std::FILE* p = popen(command.c_str(), "r");
        if (p == nullptr) throw InputMissing{"cannot run the password command"};
        std::string out;
        char buf[512];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0 && out.size() < 4096;) out.append(buf, n);
        const int status = pclose(p);
        if (status != 0 || out.empty())
            throw InputMissing{"the password command failed (" +
                               (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status)) : std::string("killed")) +
                               (out.empty() ? ", no output" : "") + ")"};
        return first_line(out);
    }
    if (const char* env = std::getenv("SMTPCORE_PASSWORD")) return env;
    throw UsageError{"--user needs --password-file F, --password-command CMD or SMTPCORE_PASSWORD"};
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
