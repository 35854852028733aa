#include "config_file.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <vector>

#include "options.hpp"

namespace smtpcore::cli {
namespace {

const std::set<std::string> kKeys = {"host", "port", "from", "user", "password", "passwordeval", "auth", "tls",
                                     "tls_starttls", "tls_trust_file", "tls_certcheck", "domain", "timeout"};

bool exists(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r");
    if (a == std::string::npos) return "";
    return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

}  // namespace

std::string find_config(const std::string& explicit_path) {
    if (!explicit_path.empty()) return explicit_path;
    if (const char* env = std::getenv("SMTPCORE_CONFIG"); env != nullptr && *env != '\0') return env;
    const char* home = std::getenv("HOME");
    if (home == nullptr) return "";
    for (const char* rel : {"/.config/smtpcore/config", "/.msmtprc"})
        if (exists(std::string(home) + rel)) return std::string(home) + rel;
    return "";
}

AccountSettings load_account(const std::string& path, const std::string& wanted) {
    std::ifstream in(path);
    if (!in) throw InputMissing{"cannot read the configuration file " + path};
    AccountSettings defaults;
    std::map<std::string, AccountSettings> accounts;
    std::vector<std::string> order;
    std::string default_name;
    AccountSettings* current = &defaults;
    bool has_password = false;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.find_first_of(" \t");
        const std::string key = line.substr(0, space);
        std::string value = space == std::string::npos ? "" : trim(line.substr(space));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        const std::string where = path + ":" + std::to_string(number) + ": ";
        if (key == "defaults") {
            current = &defaults;
        } else if (key == "account") {
            const auto colon = value.find(':');
            const std::string name = trim(value.substr(0, colon));
            if (name.empty()) throw ConfigError{where + "account needs a name"};
            if (name == "default" && colon != std::string::npos) {
                default_name = trim(value.substr(colon + 1));
                current = nullptr;
                continue;
            }
            AccountSettings settings = defaults;  // msmtp: defaults as they stand here
            if (colon != std::string::npos)
                for (std::size_t p = colon + 1; p < value.size();) {
                    const auto comma = value.find(',', p);
                    const std::string parent = trim(value.substr(p, comma == std::string::npos ? std::string::npos : comma - p));
                    if (!accounts.count(parent)) throw ConfigError{where + "unknown account " + parent};
                    for (const auto& kv : accounts[parent]) settings[kv.first] = kv.second;
                    p = comma == std::string::npos ? value.size() : comma + 1;
                }
            accounts[name] = settings;
            order.push_back(name);
            current = &accounts[name];
        } else if (kKeys.count(key)) {
            if (current == nullptr) throw ConfigError{where + key + " after 'account default : NAME'"};
            (*current)[key] = value;
            has_password = has_password || key == "password";
        } else {
            throw ConfigError{where + "unknown setting '" + key + "'"};
        }
    }
    // msmtp's rule: a password in a file others can read is not a secret any more.
    struct stat st {};
    if (has_password && stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        throw ConfigError{path + " holds a password and can be read by group or others: chmod 600 " + path};
    std::string name = wanted.empty() ? default_name : wanted;
    if (name.empty() && !order.empty()) name = order.front();
    if (name.empty()) return defaults;
    const auto it = accounts.find(name);
    if (it == accounts.end()) throw ConfigError{path + ": no account " + name};
    return it->second;
}

}  // namespace smtpcore::cli
