#include "transcript.hpp"

#include <algorithm>
#include <cstring>
#include <list>
#include <sstream>

#include "alloc_counter.hpp"

namespace smtpcore::test {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            const char c = s[++i];
            if (c == 'x' && i + 2 < s.size()) {  // \xHH: any octet
                out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
                i += 2;
                continue;
            }
            out += c == 'r' ? '\r' : c == 'n' ? '\n' : c == '0' ? '\0' : c == 't' ? '\t' : c;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else if (c == '\0') out += "\\0";
        else out += c;
    }
    return out;
}

std::string describe(const Event& e) {
    std::ostringstream o;
    o << to_string(e.type);
    if (e.code != 0) o << ' ' << e.code;
    if (e.status.present()) o << ' ' << int(e.status.klass) << '.' << e.status.subject << '.' << e.status.detail;
    if (e.type == EventType::RecipientResult || e.type == EventType::RecipientOutcome)
        o << " #" << e.recipient_index << ' ' << e.recipient;
    if (e.type == EventType::Error) o << " [" << to_string(e.error.kind) << ']';
    if (e.dsn_dropped) o << " dsn-dropped";
    switch (e.type) {
    case EventType::RecipientOutcome:  // LMTP (RFC 2033 §4.2): one recipient's fate
        if (e.code < 400) break;
        [[fallthrough]];
    case EventType::MessageRejected:
    case EventType::MessageUnknown:
    case EventType::Closed:
    case EventType::Error:
        if (e.type == EventType::MessageRejected || e.type == EventType::RecipientOutcome)
            o << (e.temporary ? " temporary" : " permanent");
        o << " \"" << escape(std::string(e.text)) << '"';
        break;
    default:
        break;
    }
    return o.str();
}

std::string describe(const Error& e) {
    std::string s = std::string(to_string(e.kind)) + " \"" + e.reason + "\" at " + e.where;
    if (e.index >= 0) s += " #" + std::to_string(e.index);
    return s;
}

struct Runner {
    const RunOptions& opt;
    Client& client;
    RunResult& result;
    std::string pending_line;  // client bytes not yet ended by CRLF
    Millis now = 0;
    // The envelopes submitted, kept alive for the whole session (a message
    // submitted ahead is in flight with the one before it).
    struct Submitted {
        std::vector<std::string> addresses;
        std::vector<std::string_view> recipients;
        Envelope envelope;
        DsnRequest dsn;                      // used when a "dsn" action came before the submit
        std::list<std::string> orcpt_text;  // stable: the views point into it
        std::vector<std::string_view> orcpt;
        std::vector<std::uint8_t> notify_each;
    };
    std::list<Submitted> submitted;
    // "A: dsn key=value..." and "A: require-tls" apply to the next submit.
    bool next_dsn = false;
    bool next_require_tls = false;
    std::vector<std::string> next_dsn_words;

    static std::vector<std::string> split(const std::string& value, char separator) {
        std::vector<std::string> items;
        for (std::size_t b = 0; b <= value.size();) {
            std::size_t e = value.find(separator, b);
            if (e == std::string::npos) e = value.size();
            items.push_back(value.substr(b, e - b));
            b = e + 1;
        }
        return items;
    }

    // "never" or "success,failure,delay" as dsn_notify bits; "" is 0, an unknown word 0x80.
    static std::uint8_t notify_bits(const std::string& value) {
        std::uint8_t bits = 0;
        if (value.empty()) return 0;
        for (const std::string& n : split(value, ','))
            bits |= n == "never" ? dsn_notify::Never : n == "success" ? dsn_notify::Success
                  : n == "failure" ? dsn_notify::Failure : n == "delay" ? dsn_notify::Delay : 0x80;
        return bits;
    }

    // ret=full|hdrs envid=TEXT notify=never|success,failure,delay orcpt=A|B|...
    // notify-each=LIST|LIST|... (one per recipient, empty = notify) refuse
    // (values unescaped: \x20 is a space).
    void apply_dsn(Submitted& m) {
        for (const std::string& word : next_dsn_words) {
            const std::size_t eq = word.find('=');
            const std::string key = word.substr(0, eq);
            const std::string value = eq == std::string::npos ? "" : unescape(word.substr(eq + 1));
            if (key == "ret") m.dsn.ret = value == "full" ? DsnReturn::Full : value == "hdrs" ? DsnReturn::Headers : DsnReturn(7);
            if (key == "envid") m.dsn.envid = m.orcpt_text.emplace_back(value);
            if (key == "notify") m.dsn.notify = notify_bits(value);
            if (key == "notify-each") {  // one NOTIFY list per recipient, '|' between them
                for (const std::string& item : split(value, '|')) m.notify_each.push_back(notify_bits(item));
                m.dsn.notify_each = Span<const std::uint8_t>(m.notify_each.data(), m.notify_each.size());
            }
            if (key == "orcpt") {
                for (const std::string& item : split(value, '|')) {
                    m.orcpt_text.push_back(item);
                    m.orcpt.push_back(m.orcpt_text.back());
                }
                m.dsn.orcpt = Span<const std::string_view>(m.orcpt.data(), m.orcpt.size());
            }
            if (key == "refuse") m.dsn.if_unoffered = DsnUnoffered::Refuse;
        }
        m.envelope.dsn = &m.dsn;
    }

    template <class F>
    auto engine(F&& f) {
        AllocationScope scope;
        auto r = f();
        result.engine_allocations += scope.allocations();
        return r;
    }

    void drain() {
        for (bool progress = true; progress;) {
            progress = false;
            for (;;) {
                const Event e = engine([&] { return client.next_event(); });
                if (e.type == EventType::None) break;
                result.log.push_back("E: " + describe(e));
                progress = true;
            }
            for (;;) {
                const Bytes out = engine([&] { return client.send_buf(); });
                if (out.empty()) break;
                const std::size_t n = opt.ack_chunk == 0 ? out.size() : std::min(opt.ack_chunk, out.size());
                const std::string bytes(out.data(), n);
                engine([&] { return client.send_ack(n); });
                record_output(bytes);
                progress = true;
            }
        }
    }

    void record_output(const std::string& bytes) {
        result.wire += bytes;
        pending_line += bytes;
        for (std::size_t eol; (eol = pending_line.find("\r\n")) != std::string::npos;) {
            result.log.push_back("C: " + escape(pending_line.substr(0, eol)));
            pending_line.erase(0, eol + 2);
        }
    }

    void feed(const std::string& bytes) {
        std::size_t offset = 0;
        std::size_t first = opt.input_chunk != 0 ? opt.input_chunk
                            : opt.split_at != 0 && opt.split_at < bytes.size() ? opt.split_at
                                                                               : bytes.size();
        while (offset < bytes.size()) {
            const std::size_t size = std::min(first, bytes.size() - offset);
            std::size_t done = 0;
            int stalls = 0;
            while (done < size) {
                const std::size_t n = engine([&] {
                    return client.feed(Bytes(bytes.data() + offset + done, size - done));
                });
                done += n;
                drain();
                if (n == 0 && ++stalls > 4) return;  // the engine takes no more input (closed/failed)
            }
            offset += size;
            if (opt.input_chunk == 0) first = bytes.size();
        }
        drain();
    }

    void body(const std::string& text) {
        std::size_t offset = 0;
        while (offset < text.size()) {
            const MutableBytes window = engine([&] { return client.body_buf(); });
            if (window.empty()) {
                drain();
                if (client.body_buf().empty()) {
                    result.log.push_back("R: body window stays empty");
                    return;
                }
                continue;
            }
            std::size_t n = std::min(window.size(), text.size() - offset);
            if (opt.body_chunk != 0) n = std::min(n, opt.body_chunk);
            std::memcpy(window.data(), text.data() + offset, n);
            const Error err = engine([&] { return client.body_ack(n); });
            offset += n;
            if (err) {
                result.log.push_back("R: " + describe(err));
                break;
            }
            drain();
        }
        drain();
    }

    void action(const std::string& line) {
        std::istringstream in(line);
        std::string verb;
        in >> verb;
        Error err;
        if (verb == "submit" || verb == "submit-8bit" || verb == "submit-utf8" || verb == "submit-size" ||
            verb == "submit-binary") {
            Submitted& m = submitted.emplace_back();
            std::uint64_t size = 0;
            if (verb == "submit-size") in >> size;
            for (std::string a; in >> a;) m.addresses.push_back(a == "<>" && verb == "submit" ? "" : a);
            m.recipients.assign(m.addresses.begin() + 1, m.addresses.end());
            m.envelope.from = m.addresses.at(0);
            m.envelope.recipients = Span<const std::string_view>(m.recipients.data(), m.recipients.size());
            m.envelope.body = verb == "submit-8bit"     ? BodyType::EightBitMime
                              : verb == "submit-binary" ? BodyType::BinaryMime
                                                        : BodyType::SevenBit;
            m.envelope.smtputf8 = verb == "submit-utf8";
            m.envelope.size_hint = size;
            if (next_dsn) apply_dsn(m);
            m.envelope.require_tls = next_require_tls;
            next_dsn = next_require_tls = false;
            next_dsn_words.clear();
            err = engine([&] { return client.submit(m.envelope); });
        } else if (verb == "dsn") {
            next_dsn = true;
            for (std::string w; in >> w;) next_dsn_words.push_back(w);
        } else if (verb == "require-tls") {
            next_require_tls = true;
        } else if (verb == "body") {
            std::string rest;
            std::getline(in, rest);
            body(unescape(rest.empty() ? rest : rest.substr(1)));
        } else if (verb == "body-end") {
            err = engine([&] { return client.body_end(); });
        } else if (verb == "body-fail") {
            engine([&] { client.body_fail(); return 0; });
#ifndef SMTPCORE_NO_CANCEL
        } else if (verb == "cancel") {
            err = engine([&] { return client.cancel(); });
#endif
        } else if (verb == "quit") {
            err = engine([&] { return client.quit(); });
        } else if (verb == "abort") {
            engine([&] { client.abort(); return 0; });
        } else if (verb == "tls") {
            err = engine([&] {
                if (opt.channel_binding.empty()) return client.tls_established();
                return client.tls_established(as_bytes(opt.channel_binding));
            });
        } else if (verb == "close") {
            engine([&] { client.connection_closed(); return 0; });
        } else if (verb == "time") {
            Millis t = 0;
            in >> t;
            now = t;
            engine([&] { client.handle_timeout(now); return 0; });
        } else if (verb == "deadline") {
            const Millis d = client.deadline();
            result.log.push_back("R: deadline " + (d == kNever ? std::string("never") : std::to_string(d)));
        } else if (verb == "feed-raw") {
            std::string rest;
            std::getline(in, rest);
            feed(unescape(rest.empty() ? rest : rest.substr(1)));
        } else {
            result.log.push_back("R: unknown action " + verb);
        }
        if (err) result.log.push_back("R: " + describe(err));
        drain();
    }
};

}  // namespace

std::vector<std::string> parse_transcript(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        lines.push_back(line);
    }
    return lines;
}

RunResult run_transcript(const Config& config, const std::string& transcript, const RunOptions& options) {
    RunResult result;
    std::vector<char> storage(options.storage);
    const MutableBytes window(storage.data(), storage.size());
    Client client = options.auth != nullptr ? Client(config, window, *options.auth) : Client(config, window);
    Runner runner{options, client, result, {}, 0, {}, false, false, {}};
    runner.engine([&] { client.handle_timeout(0); return 0; });
    runner.drain();
    const auto lines = parse_transcript(transcript);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (line.rfind("S:", 0) == 0) {
            // Adjacent S: lines are one flight: fed together, split together.
            std::string bytes;
            for (; i < lines.size() && lines[i].rfind("S:", 0) == 0; ++i) {
                result.log.push_back(lines[i]);
                bytes += unescape(trim(lines[i].substr(2))) + "\r\n";
            }
            --i;
            runner.feed(bytes);
        } else if (line.rfind("A:", 0) == 0) {
            result.log.push_back(line);
            runner.action(trim(line.substr(2)));
        }
    }
    if (!runner.pending_line.empty()) result.log.push_back("C~ " + escape(runner.pending_line));
    return result;
}

int count_client_flights(const std::vector<std::string>& log) {
    int flights = 0;
    bool in_flight = false;
    for (const auto& line : log) {
        if (line.rfind("C:", 0) == 0) {
            if (!in_flight) ++flights;
            in_flight = true;
        } else if (line.rfind("S:", 0) == 0) {
            in_flight = false;
        }
    }
    return flights;
}

namespace {

std::string compare(const std::vector<std::string>& expected, const RunResult& r, const std::string& how) {
    std::vector<std::string> actual;
    for (const auto& l : r.log) actual.push_back(trim(l));
    if (actual == expected && r.engine_allocations == 0) return "";
    std::ostringstream o;
    o << how << ": ";
    if (r.engine_allocations != 0) o << r.engine_allocations << " allocations in the engine\n";
    std::size_t i = 0;
    while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
    o << "first difference at line " << i + 1 << "\n  expected: "
      << (i < expected.size() ? expected[i] : "<end>") << "\n  actual:   "
      << (i < actual.size() ? actual[i] : "<end>") << "\nactual transcript:\n";
    for (const auto& l : actual) o << "  " << l << "\n";
    return o.str();
}

}  // namespace

std::string check_transcript(const Config& config, const std::string& transcript) {
    const auto expected = parse_transcript(transcript);
    std::string failure = compare(expected, run_transcript(config, transcript), "whole flights");
    if (!failure.empty()) return failure;
    // Longest flight, to bound the exhaustive single-split runs.
    std::size_t longest = 0, current = 0;
    for (const auto& l : expected) {
        if (l.rfind("S:", 0) == 0) {
            current += l.size() - 2 + 1;  // approximate: text plus CRLF
        } else {
            longest = std::max(longest, current);
            current = 0;
        }
    }
    longest = std::max(longest, current) + 4;
    for (std::size_t chunk = 1; chunk <= 16; ++chunk) {
        RunOptions o;
        o.input_chunk = chunk;
        o.ack_chunk = chunk % 5 == 0 ? 0 : chunk;
        o.body_chunk = chunk % 3 == 0 ? 0 : chunk * 7;
        failure = compare(expected, run_transcript(config, transcript, o),
                          "input pieces of " + std::to_string(chunk));
        if (!failure.empty()) return failure;
    }
    for (std::size_t split = 1; split < std::min<std::size_t>(longest, 600); ++split) {
        RunOptions o;
        o.split_at = split;
        o.ack_chunk = 1 + split % 11;
        failure = compare(expected, run_transcript(config, transcript, o),
                          "every flight split at " + std::to_string(split));
        if (!failure.empty()) return failure;
    }
    return "";
}

}  // namespace smtpcore::test
