#include "checked_session.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "dot_reference.hpp"
#include "smtpcore/codec/xtext.hpp"

namespace smtpcore::test {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool is_base64_line(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                        c == '/' || c == '=';
        if (!ok) return false;
    }
    return true;
}

// "AUTH LOGIN", "AUTH CRAM-MD5", or a mechanism with its base64 initial response.
bool is_auth_command(std::string_view line) {
    if (line == "AUTH LOGIN" || line == "AUTH PLAIN" || line == "AUTH CRAM-MD5") return true;
    for (const std::string_view mechanism : {"PLAIN ", "XOAUTH2 ", "OAUTHBEARER ", "SCRAM-SHA-256 ", "SCRAM-SHA-256-PLUS "}) {
        const std::string head = "AUTH " + std::string(mechanism);
        if (starts_with(line, head) && is_base64_line(line.substr(head.size()))) return true;
    }
    return false;
}

std::string describe(const Event& e) {
    std::ostringstream o;
    o << to_string(e.type) << ' ' << e.code;
    if (e.status.present()) o << ' ' << int(e.status.klass) << '.' << e.status.subject << '.' << e.status.detail;
    o << " m" << e.message << " #" << e.recipient_index << ' ' << e.recipient << " a" << e.accepted_recipients
      << (e.temporary ? " temp" : "") << " \"" << e.text << '"';
    if (e.type == EventType::Error) o << " [" << to_string(e.error.kind) << ']';
    return o.str();
}

}  // namespace

CheckedSession::CheckedSession(const Config& config, std::size_t storage, std::size_t (*allocations)())
    : config_(config),
      storage_(storage),
      client_(config, MutableBytes(storage_.data(), storage_.size())),
      allocations_(allocations) {}

CheckedSession::CheckedSession(const Config& config, const AuthOptions& auth, std::size_t storage,
                               std::size_t (*allocations)())
    : config_(config),
      storage_(storage),
      client_(config, MutableBytes(storage_.data(), storage_.size()), auth),
      allocations_(allocations) {}

template <class F>
auto CheckedSession::engine(F&& f) {
    const std::size_t before = allocations_();
    auto r = f();
    if (allocations_() != before) violate("the engine allocated");
    if (ended_ && wire_.size() + offer().size() > wire_limit_)
        violate("output grew after the fatal error");
    return r;
}

void CheckedSession::violate(const std::string& what) {
    if (violation_.empty()) violation_ = what;
}

CheckedSession::Message* CheckedSession::current() {
    for (Message& m : messages_)
        if (m.outcomes == 0) return &m;
    return nullptr;
}

CheckedSession::Message* CheckedSession::writer() {
    // With several messages in flight (Limits::messages_in_flight) the body
    // that flows may be a message's behind the oldest: only one at a time.
    for (auto m = messages_.rbegin(); m != messages_.rend(); ++m)
        if (m->outcomes == 0 && m->body_started && !m->body_ended) return &*m;
    return nullptr;
}

CheckedSession::Outcome CheckedSession::outcome(std::uint32_t number) const {
    for (const Message& m : messages_)
        if (m.number == number) return m.outcome;
    return {};
}

Bytes CheckedSession::offer() {
    // send_buf() hands its bytes out: from then on the server may have them.
    const Bytes out = client_.send_buf();
    if (wire_.size() + out.size() > handed_out_.size()) handed_out_ = wire_ + std::string(out.data(), out.size());
    return out;
}

bool CheckedSession::in_body() const {
    if (client_.state() == SessionState::Body) return true;
    for (const Message& m : messages_)
        if (m.outcomes == 0 && m.body_started && !m.body_ended) return true;
    return false;
}

// ---- host actions ------------------------------------------------------------

std::size_t CheckedSession::feed(std::string_view bytes) {
    return engine([&] { return client_.feed(bytes); });
}

void CheckedSession::ack(std::size_t n) {
    const Bytes out = offer();
    const std::size_t k = std::min(n, out.size());
    if (k == 0) return;
    const std::string written(out.data(), k);
    const Error err = engine([&] { return client_.send_ack(k); });
    if (err) return violate("send_ack() of bytes from send_buf() was refused");
    wire_ += written;
}

Event CheckedSession::pull_event() {
    const Event e = engine([&] { return client_.next_event(); });
    if (e.type != EventType::None) {
        events_.push_back(describe(e));
        check_event(e);
    }
    return e;
}

void CheckedSession::drain() {
    for (int guard = 0; guard < 64; ++guard)
        if (pull_event().type == EventType::None) return;
    violate("next_event() never returns None");
}

void CheckedSession::advance_time(Millis step) {
    now_ = now_ > kNever - step ? kNever : now_ + step;
    const Millis deadline = client_.deadline();
    engine([&] { client_.handle_timeout(now_); return 0; });
    const bool going_on = client_.ok() && client_.state() != SessionState::Closed;
    // A wait the application began (submit(), quit(), tls_established())
    // starts at the first clock reading after it, so deadline() was only an
    // estimate from an older clock then.
    const bool estimate = wait_begun_by_application_;
    wait_begun_by_application_ = false;
    if (deadline != kNever && now_ >= deadline && going_on && !estimate)
        violate("a deadline passed and the session went on");
}

void CheckedSession::connection_closed() {
    engine([&] { client_.connection_closed(); return 0; });
}

Error CheckedSession::tls_established(Bytes channel_binding) {
    const SessionState before = client_.state();
    const std::size_t offset = wire_.size() + offer().size();
    const Error err = engine([&] {
        return channel_binding.empty() ? client_.tls_established() : client_.tls_established(channel_binding);
    });
    if (!err) wait_begun_by_application_ = true;
    if (err) {
        check_unchanged("tls_established()", err, before, offset - wire_.size());
    } else if (tls_offset_ == ~std::size_t(0)) {
        tls_offset_ = offset;
    }
    return err;
}

// ---- application commands -------------------------------------------------------

void CheckedSession::check_unchanged(const char* call, const Error& err, SessionState before,
                                     std::size_t pending_before) {
    if (err.kind != ErrorKind::Misuse && err.kind != ErrorKind::InvalidInput && err.kind != ErrorKind::Unsupported)
        return;
    if (client_.state() != before) violate(std::string(call) + " was refused but changed the state");
    if (offer().size() != pending_before) violate(std::string(call) + " was refused but sent something");
}

Error CheckedSession::submit(const Submission& s) {
    Message& m = messages_.emplace_back();
    m.from = s.from;
    m.recipients = s.recipients;
    for (const std::string& r : m.recipients) m.views.push_back(r);
    m.envelope.from = m.from;
    m.envelope.recipients = Span<const std::string_view>(m.views.data(), m.views.size());
    m.envelope.size_hint = s.size_hint;
    m.envelope.body = s.eight_bit ? BodyType::EightBitMime : BodyType::SevenBit;
    m.envelope.smtputf8 = s.smtputf8;
    m.submitted = s;
    m.envelope.require_tls = s.require_tls;
    if (s.dsn) {
        m.dsn.ret = s.ret;
        m.dsn.envid = m.submitted.envid;
        m.dsn.notify = s.notify;
        for (const std::string& o : m.submitted.orcpt) m.orcpt_views.push_back(o);
        m.dsn.orcpt = Span<const std::string_view>(m.orcpt_views.data(), m.orcpt_views.size());
        m.dsn.notify_each = Span<const std::uint8_t>(m.submitted.notify_each.data(), m.submitted.notify_each.size());
        m.envelope.dsn = &m.dsn;
    }

    const SessionState before = client_.state();
    const std::size_t pending = offer().size();
    const Error err = engine([&] { return client_.submit(m.envelope); });
    if (!err) wait_begun_by_application_ = true;
    if (err) {
        check_unchanged("submit()", err, before, pending);
        messages_.pop_back();
        return err;
    }
    if (before != SessionState::Ready) {
        // Submitted ahead: allowed only behind messages whose bodies ended,
        // one of them (the current) or up to Limits::messages_in_flight.
        std::size_t open = 0;
        bool bodies_ended = true;
        for (std::size_t i = 0; i + 1 < messages_.size(); ++i) {
            if (messages_[i].outcomes != 0) continue;
            ++open;
            bodies_ended = bodies_ended && messages_[i].body_ended;
        }
        if (open < 1 || open > config_.limits.messages_in_flight || !bodies_ended)
            violate("submit() accepted outside Ready, not behind ended bodies within messages_in_flight");
    }
    m.number = static_cast<std::uint32_t>(messages_.size());
    return err;
}

Error CheckedSession::cancel() {
    const SessionState before = client_.state();
    const std::size_t pending = offer().size();
    const Error err = engine([&] { return client_.cancel(); });
    if (err) check_unchanged("cancel()", err, before, pending);
    return err;
}

Error CheckedSession::quit() {
    const SessionState before = client_.state();
    const std::size_t pending = offer().size();
    const Error err = engine([&] { return client_.quit(); });
    if (!err) wait_begun_by_application_ = true;
    if (err) check_unchanged("quit()", err, before, pending);
    return err;
}

void CheckedSession::abort() {
    engine([&] { client_.abort(); return 0; });
}

std::size_t CheckedSession::body(std::string_view piece) {
    const MutableBytes window = engine([&] { return client_.body_buf(); });
    if (window.empty()) return 0;
    Message* m = writer();
    if (m == nullptr || !m->body_started) {
        violate("a body window outside a message body");
        return 0;
    }
    const std::size_t n = std::min(window.size(), piece.size());
    std::memcpy(window.data(), piece.data(), n);
    const Error err = engine([&] { return client_.body_ack(n); });
    if (err && err.kind == ErrorKind::Misuse) violate("body_ack() of a window from body_buf() was refused");
    m->body_input.append(piece.data(), n);
    return n;
}

Error CheckedSession::body_end() {
    const SessionState before = client_.state();
    const std::size_t pending = offer().size();
    const Error err = engine([&] { return client_.body_end(); });
    if (err) {
        check_unchanged("body_end()", err, before, pending);
    } else if (Message* m = writer()) {
        m->body_ended = true;
    } else {
        violate("body_end() accepted with no message");
    }
    return err;
}

void CheckedSession::body_fail() {
    engine([&] { client_.body_fail(); return 0; });
}

void CheckedSession::finish() {
    for (int i = 0; i < 64 && !offer().empty(); ++i) {
        drain();
        ack(~std::size_t(0));
    }
    drain();
    connection_closed();
    drain();
    ack(~std::size_t(0));
    drain();
    for (const Message& m : messages_)
        if (m.outcomes != 1) violate("message " + std::to_string(m.number) + " has no outcome");
    const SessionState s = client_.state();
    if (s != SessionState::Closed && s != SessionState::Failed) violate("the session did not end after the close");
    check_wire();
}

// ---- events ----------------------------------------------------------------------

void CheckedSession::check_event(const Event& e) {
    if (ended_) return violate("an event after Error or Closed: " + events_.back());
    Message* m = current();
    switch (e.type) {
    case EventType::Greeting:
        if (greeted_) violate("a second Greeting");
        greeted_ = true;
        break;
    case EventType::Ready:
        if (m != nullptr) violate("Ready while message " + std::to_string(m->number) + " has no outcome");
        break;
    case EventType::RecipientResult: {
        if (m == nullptr || e.message != m->number) return violate("a recipient result for no message in flight");
        if (e.recipient_index != m->results || m->results >= m->recipients.size())
            return violate("recipient results out of order");
        if (e.recipient != m->recipients[m->results]) violate("a recipient result names another recipient");
        ++m->results;
        if (e.code >= 200 && e.code < 300) {  // RFC 5321 §4.2: the first digit decides
            ++m->accepted;
            m->accepted_indices.push_back(e.recipient_index);
            if (e.accepted_recipients != m->accepted) violate("accepted_recipients does not count the 2xx results");
        }
        break;
    }
    case EventType::BodyWanted:
        if (m != nullptr && e.message != m->number) {
            // A message behind the oldest (Limits::messages_in_flight > 1):
            // its content may start once every body before it has ended.
            if (config_.limits.messages_in_flight < 2) return violate("BodyWanted for a message behind the current one");
            for (Message& behind : messages_) {
                if (behind.number == e.message) {
                    m = &behind;
                    break;
                }
                if (!behind.body_ended) return violate("BodyWanted while an earlier body still flows");
            }
        }
        if (m == nullptr || e.message != m->number || m->outcomes != 0) return violate("BodyWanted for no message in flight");
        if (m->body_started) violate("BodyWanted twice for one message");
        // RFC 3030: BDAT needs no 354 (the engine reports code 0).
        m->chunked = e.code == 0 && client_.capabilities().has(Extension::Chunking) &&
                     config_.chunking != ChunkingPolicy::Never;
        if (e.code != 354 && !m->chunked) violate("BodyWanted without a 354 (and not BDAT)");
        m->body_started = true;
        m->body_start = wire_.size() + offer().size();
        break;
    case EventType::MessageAccepted:
    case EventType::MessageRejected:
    case EventType::MessageUnknown:
        check_outcome(e);
        break;
    case EventType::RecipientOutcome:
        check_recipient_outcome(e);
        break;
    case EventType::Error:
        if (e.error.kind == ErrorKind::None) violate("an Error event without an error");
        if (client_.ok()) violate("an Error event while the client is ok()");
        ended_ = true;
        wire_limit_ = wire_.size() + offer().size();
        break;
    case EventType::Closed:
        ended_ = true;
        wire_limit_ = wire_.size() + offer().size();
        break;
    default:
        break;
    }
}

void CheckedSession::check_outcome(const Event& e) {
    Message* m = current();
    if (m == nullptr) return violate("an outcome for no message in flight (a second outcome?)");
    if (e.message != m->number) return violate("an outcome for another message");
    ++m->outcomes;
    m->outcome = Outcome{e.type, e.code, e.status, e.temporary, e.accepted_recipients};
    check_wire();
    if (config_.protocol == Protocol::Lmtp) return check_lmtp_outcome(e, *m);
#ifndef SMTPCORE_NO_LMTP
    if (e.unknown_recipients != 0) violate("unknown_recipients outside LMTP");
#endif
    if (e.accepted_recipients != m->accepted) violate("outcome's accepted_recipients differs from the results");
    if (e.type == EventType::MessageAccepted) {
        if (e.code < 200 || e.code > 299) violate("accepted without a 2xx");
        if (!m->body_ended || !m->terminator_handed_out) violate("accepted before its end of data was handed out");
        if (m->accepted == 0) violate("accepted with no recipient accepted");
        if (m->results != m->recipients.size()) violate("accepted before every recipient was answered");
    } else if (e.type == EventType::MessageUnknown) {
        if (!m->terminator_handed_out) violate("outcome unknown though the end of data was never handed out");
    } else {
        if (e.code != 0 && (e.code < 400 || e.code > 599)) violate("rejected with a positive reply code");
        if (e.code != 0 && e.temporary != (e.code < 500)) violate("rejection's temporary flag contradicts its code");
    }
}

// LMTP (RFC 2033 §4.2): after the end of data one reply per recipient accepted
// at RCPT, in RCPT order, each its own event, all before the message's outcome.
void CheckedSession::check_recipient_outcome(const Event& e) {
    Message* m = current();
    if (config_.protocol != Protocol::Lmtp) return violate("a RecipientOutcome outside LMTP");
    if (m == nullptr || e.message != m->number || m->outcomes != 0)
        return violate("a RecipientOutcome for no message in flight (or after its outcome)");
    check_wire();  // notes what of the end of data was handed out
    if (!m->terminator_handed_out) violate("a RecipientOutcome before the end of data was handed out");
    if (m->recipient_outcomes >= m->accepted_indices.size())
        return violate("more RecipientOutcomes than recipients accepted at RCPT");
    const std::uint32_t expected = m->accepted_indices[m->recipient_outcomes++];
    if (e.recipient_index != expected) return violate("a RecipientOutcome out of RCPT order");
    if (e.recipient != m->recipients[expected]) violate("a RecipientOutcome names another recipient");
    if (e.code < 200 || e.code > 599 || (e.code >= 300 && e.code < 400)) violate("a RecipientOutcome with a 3xx or no code");
    if (e.code >= 200 && e.code < 300) ++m->delivered;
    else if (e.temporary != (e.code < 500)) violate("a RecipientOutcome's temporary flag contradicts its code");
}

void CheckedSession::check_lmtp_outcome(const Event& e, const Message& m) {
    // accepted_recipients counts the recipients that took the message.
    if (e.accepted_recipients != m.delivered) violate("LMTP outcome's accepted_recipients differs from the 2xx outcomes");
    const bool all_answered = m.recipient_outcomes == m.accepted_indices.size();
#ifndef SMTPCORE_NO_LMTP
    const std::uint32_t unanswered = m.terminator_handed_out && e.type == EventType::MessageUnknown
                                         ? static_cast<std::uint32_t>(m.accepted_indices.size() - m.recipient_outcomes) : 0;
    if (e.unknown_recipients != unanswered) violate("LMTP unknown_recipients is not the recipients without a reply");
#endif
    if (e.type == EventType::MessageAccepted) {
        if (!m.terminator_handed_out || !all_answered || m.delivered == 0)
            violate("LMTP accepted before every recipient's reply, or with none delivered");
        if (e.code < 200 || e.code > 299) violate("accepted without a 2xx");
    } else if (e.type == EventType::MessageRejected) {
        if (m.delivered != 0) violate("LMTP rejected though a recipient took the message");
        if (m.recipient_outcomes != 0 && !all_answered) violate("LMTP rejected between the recipients' replies");
        if (e.code != 0 && e.temporary != (e.code < 500) && m.recipient_outcomes == 0)
            violate("rejection's temporary flag contradicts its code");
    } else if (!m.terminator_handed_out) {
        violate("outcome unknown though the end of data was never handed out");
    }
}

// ---- the wire ----------------------------------------------------------------------

void CheckedSession::check_wire() {
    for (std::size_t i = 0; i < wire_.size(); ++i) {
        if (wire_[i] == '\n' && (i == 0 || wire_[i - 1] != '\r')) return violate("bare LF on the wire");
        if (wire_[i] == '\r' && i + 1 < wire_.size() && wire_[i + 1] != '\n') return violate("bare CR on the wire");
    }
    mail_seen_ = rcpt_seen_ = 0;
    after_auth_ = after_data_ = false;
    const bool tls_required = config_.tls == TlsMode::StartTlsRequired || config_.tls == TlsMode::Implicit;
    for (Message& m : messages_) note_end_handed_out(m);
    std::size_t pos = 0;
    for (Message& m : messages_) {
        if (!m.body_started) continue;
        if (m.body_start < pos) return violate("a body starts inside another");
        if (m.chunked) {
            if (m.body_start > wire_.size()) return;
            check_commands(pos, m.body_start);
            if (tls_required && m.body_start < tls_offset_) violate("a message body in plaintext though TLS is required");
            const std::string body = reference_stuffed_body(m.body_input, false);
            const Chunks sent = read_chunks(wire_, m.body_start);
            if (sent.malformed) return violate("a malformed BDAT line");
            if (!starts_with(body, sent.content)) return violate("BDAT content differs from the application's body");
            if (!sent.complete) return;  // cut off by the end of the connection: nothing follows
            if (sent.last && (!m.body_ended || sent.content != body))
                return violate("BDAT LAST before body_end(), or not the whole body");
            m.terminated_on_wire = sent.last;
            pos = sent.end;  // after a failed BDAT body, commands (RSET, MAIL) follow
            continue;
        }
        const std::string full = reference_data_section(m.body_input);
        if (m.body_start > wire_.size()) return;  // lines handed out before it are not written yet
        check_commands(pos, m.body_start);
        if (tls_required && m.body_start < tls_offset_) violate("a message body in plaintext though TLS is required");
        const std::string_view rest = std::string_view(wire_).substr(m.body_start);
        if (m.body_ended && starts_with(rest, full)) {
            m.terminated_on_wire = true;
            m.terminator_handed_out = true;
            pos = m.body_start + full.size();
            after_data_ = false;
            continue;
        }
        // Not (yet) terminated: what went out must be a prefix of the body,
        // and nothing may follow it.
        const std::string& allowed = m.body_ended ? full : reference_stuffed_body(m.body_input);
        if (!starts_with(allowed, rest)) {
            violate(m.body_ended ? "body on the wire differs from the application's body"
                                 : "body on the wire differs from the body, or something follows a cut-off body");
        }
        return;
    }
    check_commands(pos, wire_.size());
}

void CheckedSession::note_end_handed_out(Message& m) {
    // From what send_buf() offered, not from what was written: an asynchronous
    // host may read a reply before it writes the lines handed out before it
    // (client.hpp, send_buf()), so an end of data may be out while the lines
    // in front of its body, or the whole message, are not written yet.
    if (!m.body_started || !m.body_ended || m.terminator_handed_out || m.body_start > handed_out_.size()) return;
    if (m.chunked) {
        const Chunks handed = read_chunks(handed_out_, m.body_start);
        m.terminator_handed_out = handed.last && handed.content == reference_stuffed_body(m.body_input, false);
    } else {
        m.terminator_handed_out =
            starts_with(std::string_view(handed_out_).substr(m.body_start), reference_data_section(m.body_input));
    }
}

CheckedSession::Chunks CheckedSession::read_chunks(const std::string& wire, std::size_t at) const {
    Chunks c;
    c.end = at;
    while (c.end < wire.size() && !c.last) {
        if (!starts_with(std::string_view(wire).substr(c.end), "BDAT ")) break;  // the chunks ended
        const std::size_t eol = wire.find("\r\n", c.end);
        if (eol == std::string::npos) {
            c.complete = false;
            break;
        }
        std::string line = wire.substr(c.end + 5, eol - c.end - 5);
        if (line.size() > 5 && line.compare(line.size() - 5, 5, " LAST") == 0) {
            c.last = true;
            line.resize(line.size() - 5);
        }
        if (line.empty() || line.size() > 10 || line.find_first_not_of("0123456789") != std::string::npos) {
            c.complete = false;
            c.malformed = true;
            break;
        }
        const std::size_t size = std::stoul(line);
        if (eol + 2 + size > wire.size()) {  // a chunk cut off
            c.content += wire.substr(eol + 2);
            c.complete = false;
            c.end = wire.size();
            break;
        }
        c.content += wire.substr(eol + 2, size);
        c.end = eol + 2 + size;
    }
    return c;
}

void CheckedSession::check_commands(std::size_t from, std::size_t to) {
    std::size_t start = from;
    while (start < to) {
        const std::size_t eol = wire_.find("\r\n", start);
        if (eol == std::string::npos || eol + 2 > to) return;  // a line cut off by the end of the connection
        check_command_line(wire_.substr(start, eol - start), start < tls_offset_);
        start = eol + 2;
    }
}

// The DSN parameters of a MAIL or RCPT line (RFC 3461 §4: xtext values,
// decoded and compared with what was submitted); false with `why` set when
// the parameter is not one the message asked for.
static std::string notify_parameter(std::uint8_t bits) {
    if (bits == 0) return "";
    if (bits == dsn_notify::Never) return " NOTIFY=NEVER";
    std::string out;
    if ((bits & dsn_notify::Success) != 0) out += ",SUCCESS";
    if ((bits & dsn_notify::Failure) != 0) out += ",FAILURE";
    if ((bits & dsn_notify::Delay) != 0) out += ",DELAY";
    return " NOTIFY=" + out.substr(1);
}

static bool dsn_parameter_ok(std::string_view p, const CheckedSession::Submission& s, bool mail, std::size_t rcpt,
                      std::string& why) {
    auto decoded = [](std::string_view xtext) {
        std::string out(xtext.size(), '\0');
        const std::size_t n = codec::xtext_decode(xtext, out.data());
        return n == static_cast<std::size_t>(-1) ? std::string("<not xtext>") : out.substr(0, n);
    };
    if (!s.dsn) return why = "a DSN parameter on a message without DSN", false;
    if (mail && (p == " RET=FULL" || p == " RET=HDRS"))
        return p == (s.ret == DsnReturn::Full ? " RET=FULL" : " RET=HDRS") || (why = "another RET", false);
    if (mail && starts_with(p, " ENVID="))
        return decoded(p.substr(7)) == s.envid || (why = "ENVID does not decode to the submitted one", false);
    if (!mail && starts_with(p, " NOTIFY=")) {  // §4.1: the recipient's own, else the message's
        const std::uint8_t own = rcpt < s.notify_each.size() ? s.notify_each[rcpt] : 0;
        return p == notify_parameter(own != 0 ? own : s.notify) || (why = "NOTIFY differs from the one asked", false);
    }
    if (!mail && starts_with(p, " ORCPT=rfc822;"))
        return (rcpt < s.orcpt.size() && decoded(p.substr(14)) == s.orcpt[rcpt]) || (why = "ORCPT differs", false);
    if (!mail && starts_with(p, " ORCPT=utf-8;"))  // RFC 6533: no '+', '=', space or control, ASCII unless SMTPUTF8
        return (rcpt < s.orcpt.size() && p.find_first_of("+= ", 13) == std::string_view::npos) ||
               (why = "a utf-8 ORCPT that is not utf-8-addr-xtext/unitext", false);
    return why = "an unexpected DSN parameter", false;
}

void CheckedSession::check_command_line(const std::string& line, bool plaintext) {
    // RFC 3461 §4: DSN lengthens MAIL by up to 109 octets, RCPT by 530; REQUIRETLS adds 11.
    const std::size_t longest = starts_with(line, "MAIL ") ? 512 + 109 + 11 : starts_with(line, "RCPT ") ? 512 + 530 : 512;
    if (line.size() + 2 > longest) violate("a command line over its limit");
    for (const char c : line)  // no byte of an application string may end or split a line
        if (c == '\r' || c == '\n' || c == '\0') violate("a control octet inside a command line");
    const bool tls_required = config_.tls == TlsMode::StartTlsRequired || config_.tls == TlsMode::Implicit;
    // RFC 2033 §4.1: LMTP greets with LHLO and has no HELO fallback.
    const bool lmtp = config_.protocol == Protocol::Lmtp;
    const std::string hello = (lmtp ? "LHLO " : "EHLO ") + std::string(config_.client_name);
    // An empty response answers a challenge that needs none (RFC 4954 §4:
    // SCRAM's server-final, the OAuth error status for XOAUTH2).
    const bool sasl_response = after_auth_ && (line.empty() || is_base64_line(line));
    const bool is_auth = starts_with(line, "AUTH ") || sasl_response;
    if (plaintext && is_auth && !config_.allow_plaintext_auth) violate("credentials in plaintext: " + line);
    if (plaintext && tls_required && line != "STARTTLS" && line != "QUIT" &&
        !(config_.tls == TlsMode::StartTlsRequired && line == hello))
        violate("plaintext command though TLS is required: " + line);

    const bool was_after_data = after_data_;
    after_data_ = line == "DATA";
    if (line == hello || (!lmtp && line == "HELO " + std::string(config_.client_name)) ||
        line == "STARTTLS" || line == "DATA" || line == "RSET" || line == "QUIT" || line == "*") {
        if (line != "*") after_auth_ = false;
        return;
    }
    if (is_auth_command(line)) {
        after_auth_ = true;
        return;
    }
    if (sasl_response) return;
    after_auth_ = false;
    if (line == ".") {
        if (!was_after_data) violate("a lone \".\" that does not follow DATA");
        return;
    }
    if (starts_with(line, "MAIL FROM:<")) {
        if (mail_seen_ >= messages_.size()) return violate("MAIL for a message never submitted");
        const Message& m = messages_[mail_seen_++];
        rcpt_seen_ = 0;
        const std::string head = "MAIL FROM:<" + m.from + ">";
        if (!starts_with(line, head)) return violate("MAIL carries another sender: " + line);
        std::string_view params = std::string_view(line).substr(head.size());
        while (!params.empty()) {
            std::size_t next = params.find(' ', 1);
            const std::string_view p = params.substr(0, next);
            const bool size_param = starts_with(p, " SIZE=") && p.size() > 6 &&
                                    p.substr(6).find_first_not_of("0123456789") == std::string_view::npos;
            std::string why;
            if (p == " REQUIRETLS") {
                if (!m.submitted.require_tls || !client_.secure()) return violate("REQUIRETLS not asked, or without TLS: " + line);
            } else if (!size_param && p != " BODY=8BITMIME" && p != " SMTPUTF8" &&
                       !dsn_parameter_ok(p, m.submitted, true, 0, why)) {
                return violate("MAIL has an unexpected parameter (" + why + "): " + line);
            }
            params = next == std::string_view::npos ? std::string_view() : params.substr(next);
        }
        return;
    }
    if (starts_with(line, "RCPT TO:<")) {
        if (mail_seen_ == 0) return violate("RCPT before MAIL");
        const Message& m = messages_[mail_seen_ - 1];
        if (rcpt_seen_ >= m.recipients.size()) return violate("more RCPT lines than recipients");
        const std::size_t index = rcpt_seen_++;
        const std::string head = "RCPT TO:<" + m.recipients[index] + ">";
        if (!starts_with(line, head)) return violate("RCPT carries another address: " + line);
        std::string_view params = std::string_view(line).substr(head.size());
        while (!params.empty()) {
            const std::size_t next = params.find(' ', 1);
            std::string why;
            if (!dsn_parameter_ok(params.substr(0, next), m.submitted, false, index, why))
                return violate("RCPT has an unexpected parameter (" + why + "): " + line);
            params = next == std::string_view::npos ? std::string_view() : params.substr(next);
        }
        return;
    }
    violate("a line that is no command the engine sends: " + line.substr(0, 80));
}

}  // namespace smtpcore::test
