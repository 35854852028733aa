// resolv.conf(5): nameserver, search/domain, options timeout/attempts/ndots/edns0.
#include "smtpcore/adapters/resolv_conf.hpp"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace smtpcore::adapters {
namespace {

constexpr std::size_t kMaxNameservers = 3;  // MAXNS in <resolv.h>

std::vector<std::string> words(std::string_view line) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < line.size()) {
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t')) ++at;
        std::size_t end = at;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
        if (end > at) out.emplace_back(line.substr(at, end - at));
        at = end;
    }
    return out;
}

// "timeout:3" → 3, clamped to `max`; false when it is not a number.
bool option_value(const std::string& word, std::size_t prefix, unsigned max, unsigned& out) {
    if (word.size() <= prefix || word.size() > prefix + 5) return false;
    unsigned v = 0;
    for (std::size_t i = prefix; i < word.size(); ++i) {
        if (word[i] < '0' || word[i] > '9') return false;
        v = v * 10 + unsigned(word[i] - '0');
    }
    out = std::min(v, max);
    return true;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

bool parse_endpoint(std::string_view text, dns::Endpoint& out, std::uint16_t default_port) {
    std::string host(text);
    std::string port;
    if (!host.empty() && host[0] == '[') {
        const auto close = host.find(']');
        if (close == std::string::npos) return false;
        if (close + 1 < host.size()) {
            if (host[close + 1] != ':') return false;
            port = host.substr(close + 2);
        }
        host = host.substr(1, close - 1);
    } else if (std::count(host.begin(), host.end(), ':') == 1) {
        port = host.substr(host.find(':') + 1);
        host = host.substr(0, host.find(':'));
    }
    dns::Endpoint e;
    e.port = default_port;
    if (!port.empty()) {
        if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
        const unsigned long p = std::stoul(port);
        if (p == 0 || p > 65535) return false;
        e.port = static_cast<std::uint16_t>(p);
    }
    if (inet_pton(AF_INET, host.c_str(), e.address) == 1) e.family = 4;
    else if (inet_pton(AF_INET6, host.c_str(), e.address) == 1) e.family = 6;
    else return false;
    out = e;
    return true;
}

std::string to_string(const dns::Endpoint& e) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(e.family == 6 ? AF_INET6 : AF_INET, e.address, buf, sizeof buf);
    return (e.family == 6 ? "[" + std::string(buf) + "]" : std::string(buf)) + ":" + std::to_string(e.port);
}

ResolvConf parse_resolv_conf(std::string_view text) {
    ResolvConf conf;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(at, end - at);
        at = end + 1;
        const std::size_t comment = line.find_first_of("#;");
        if (comment != std::string_view::npos) line = line.substr(0, comment);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::vector<std::string> w = words(line);
        if (w.empty()) continue;
        if (w[0] == "nameserver" && w.size() >= 2) {
            dns::Endpoint e;
            // resolv.conf names addresses only (port 53); a scope id is dropped.
            const std::string addr = w[1].substr(0, w[1].find('%'));
            if (conf.nameservers.size() < kMaxNameservers && parse_endpoint(addr.find(':') != std::string::npos ? "[" + addr + "]" : addr, e))
                conf.nameservers.push_back(e);
        } else if ((w[0] == "search" || w[0] == "domain") && w.size() >= 2) {
            conf.search.assign(w.begin() + 1, w[0] == "domain" ? w.begin() + 2 : w.end());
        } else if (w[0] == "options") {
            for (std::size_t i = 1; i < w.size(); ++i) {
                unsigned v = 0;
                if (starts_with(w[i], "timeout:") && option_value(w[i], 8, 30, v)) conf.timeout_s = std::max(v, 1u);
                else if (starts_with(w[i], "attempts:") && option_value(w[i], 9, 5, v)) conf.attempts = std::max(v, 1u);
                else if (starts_with(w[i], "ndots:") && option_value(w[i], 6, 15, v)) conf.ndots = v;
                else if (w[i] == "edns0") conf.edns0 = true;
            }
        }
    }
    return conf;
}

ResolvConf read_resolv_conf(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    if (in) text << in.rdbuf();
    ResolvConf conf = parse_resolv_conf(text.str());
    if (conf.nameservers.empty()) conf.nameservers.push_back(dns::ipv4(127, 0, 0, 1));
    return conf;
}

dns::ResolverConfig ResolvConf::resolver_config(const std::vector<dns::Endpoint>& servers) const {
    dns::ResolverConfig c;
    c.servers = Span<const dns::Endpoint>(servers.data(), servers.size());
    c.timeout = static_cast<Duration>(timeout_s * 1000);
    c.attempts = static_cast<std::uint8_t>(attempts);
    return c;
}

std::vector<std::string> ResolvConf::candidates(const std::string& name) const {
    if (!name.empty() && name.back() == '.') return {name};
    std::vector<std::string> with_search;
    for (const std::string& domain : search) with_search.push_back(name + "." + domain);
    const auto dots = static_cast<unsigned>(std::count(name.begin(), name.end(), '.'));
    std::vector<std::string> out;
    if (dots >= ndots) out.push_back(name);
    out.insert(out.end(), with_search.begin(), with_search.end());
    if (dots < ndots) out.push_back(name);
    return out;
}

}  // namespace smtpcore::adapters
