#include "model_server.hpp"

#include <algorithm>

namespace smtpcore::test {

std::string format_reply(const ReplyPlan& r, const std::string& text) {
    const std::string code = std::to_string(r.code);
    std::string status;
    if (r.enhanced && r.code >= 200 && r.code < 600 && r.code / 100 != 3)
        status = std::to_string(r.code / 100) + ".1.0 ";
    std::string out;
    for (int i = 0; i < r.extra_lines; ++i) out += code + "-" + status + "line " + std::to_string(i) + "\r\n";
    return out + code + " " + status + text + "\r\n";
}

bool clean_session(const std::vector<std::string>& events) {
    for (const std::string& e : events)
        if (e.rfind("message-rejected", 0) == 0 || e.rfind("message-unknown", 0) == 0 || e.rfind("error", 0) == 0 ||
            (e.rfind("closed", 0) == 0 && e.rfind("closed 221", 0) != 0))
            return false;
    return true;
}

bool outcomes_agree(const std::vector<std::string>& a, const std::vector<std::string>& b, bool chunking,
                    std::size_t in_flight) {
    auto outcomes = [](const std::vector<std::string>& events) {
        std::vector<std::string> out;
        for (const std::string& e : events)
            if (e.rfind("message-", 0) == 0) out.push_back(e);
        return out;
    };
    const std::vector<std::string> x = outcomes(a), y = outcomes(b);
    auto rejected_unsent = [](const std::string& e) {
        return e.rfind("message-rejected 0 ", 0) == 0 && e.find(" temp ") != std::string::npos;
    };
    // A message submitted ahead in one run only (the other's session ended
    // before that body did) is rejected, never sent; with several messages
    // in flight up to that many, each unsent or (its BDAT LAST out) unknown.
    const std::vector<std::string>& longer = x.size() > y.size() ? x : y;
    const std::size_t common = std::min(x.size(), y.size());
    if (!chunking && x.size() != y.size()) return false;
    if (longer.size() > common + in_flight) return false;
    for (std::size_t i = common; i < longer.size(); ++i)
        if (!rejected_unsent(longer[i]) && !(in_flight > 1 && longer[i].rfind("message-unknown 0 ", 0) == 0)) return false;
    for (std::size_t i = 0; i < common; ++i) {
        if (x[i] == y[i]) continue;
        if (!chunking) return false;
        const bool xu = x[i].rfind("message-unknown 0 ", 0) == 0, yu = y[i].rfind("message-unknown 0 ", 0) == 0;
        if (xu == yu || !rejected_unsent(xu ? y[i] : x[i])) return false;
        // The same message ("mN" follows the code in both).
        const std::string number = x[i].substr(x[i].find(" m"), x[i].find(' ', x[i].find(" m") + 1) - x[i].find(" m"));
        if (y[i].find(number + " ") == std::string::npos) return false;
    }
    return true;
}

std::string ModelServer::greeting() const { return "220 model.example ESMTP\r\n"; }

std::string ModelServer::respond(const std::string& client_bytes) {
    pending_ += client_bytes;
    std::string out;
    for (;;) {
        if (chunk_left_ > 0 || chunk_last_) {  // BDAT content: exactly the octets its line named
            const std::size_t n = std::min(chunk_left_, pending_.size());
            pending_.erase(0, n);
            chunk_left_ -= n;
            if (chunk_left_ > 0) break;
            if (!mail_ok_ || !rcpt_ok_) {
                out += "503 5.5.1 no valid recipients\r\n";
            } else {
                out += chunk_last_ ? format_reply(current_.end, "queued") : "250 chunk\r\n";
            }
            chunk_last_ = false;
            continue;
        }
        const std::size_t eol = pending_.find("\r\n");
        if (eol == std::string::npos) break;
        const std::string line = pending_.substr(0, eol);
        pending_.erase(0, eol + 2);
        out += answer(line);
    }
    return out;
}

std::string ModelServer::answer(const std::string& line) {
    if (in_body_) {
        if (line != ".") return "";
        in_body_ = false;
        return format_reply(current_.end, "queued");
    }
    if (line.rfind("EHLO ", 0) == 0) {
        std::string caps = "250-model.example\r\n";
        for (int i = 0; i < plan_.ehlo_filler; ++i) caps += "250-X-FILLER-" + std::to_string(i) + " a b c\r\n";
        if (plan_.pipelining) caps += "250-PIPELINING\r\n";
        if (plan_.eight_bit) caps += "250-8BITMIME\r\n";
        if (plan_.enhanced_codes) caps += "250-ENHANCEDSTATUSCODES\r\n";
        if (plan_.chunking) caps += "250-CHUNKING\r\n";
        return caps + "250 SIZE 100000\r\n";
    }
    if (line.rfind("MAIL FROM:", 0) == 0) {
        rcpt_ = 0;
        if (messages_.empty()) {
            surprises_.push_back(line);
            return "503 no plan\r\n";
        }
        current_ = messages_.front();
        messages_.pop_front();
        mail_ok_ = current_.mail.code / 100 == 2;
        rcpt_ok_ = false;
        return format_reply(current_.mail, "sender");
    }
    if (line.rfind("RCPT TO:", 0) == 0) {
        if (rcpt_ >= current_.rcpt.size()) {
            surprises_.push_back(line);
            return "503 no plan\r\n";
        }
        if (mail_ok_ && current_.rcpt[rcpt_].code / 100 == 2) rcpt_ok_ = true;
        return format_reply(current_.rcpt[rcpt_++], "recipient");
    }
    if (line.rfind("BDAT ", 0) == 0) return answer_chunk(line);
    if (line == "DATA") {
        in_body_ = current_.data.code == 354;
        return format_reply(current_.data, in_body_ ? "go ahead" : "no data");
    }
    if (line == "RSET") {
        mail_ok_ = rcpt_ok_ = false;
        return "250 reset\r\n";
    }
    if (line == "QUIT") return "221 bye\r\n";
    surprises_.push_back(line);
    return "500 what\r\n";
}

std::string ModelServer::answer_chunk(const std::string& line) {
    // RFC 3030 §2: "BDAT" SP chunk-size [SP "LAST"]; answered after the chunk.
    if (!plan_.chunking) {
        surprises_.push_back(line);
        return "500 what\r\n";
    }
    std::string size = line.substr(5);
    chunk_last_ = size.size() > 5 && size.compare(size.size() - 5, 5, " LAST") == 0;
    if (chunk_last_) size.resize(size.size() - 5);
    if (size.empty() || size.find_first_not_of("0123456789") != std::string::npos) {
        surprises_.push_back(line);
        chunk_last_ = false;
        return "501 bad size\r\n";
    }
    chunk_left_ = std::stoul(size);
    if (chunk_left_ == 0 && !chunk_last_) return mail_ok_ && rcpt_ok_ ? "250 chunk\r\n" : "503 5.5.1 no valid recipients\r\n";
    return "";
}

std::size_t Dialogue::piece(const std::vector<std::size_t>& sizes, std::size_t& turn, std::size_t left) const {
    if (sizes.empty()) return left;
    return std::min(left, std::max<std::size_t>(1, sizes[turn++ % sizes.size()]));
}

bool Dialogue::run_until_idle(const std::string& first_body) {
    const std::string* body_of_message = &first_body;
    std::size_t body_written = 0;
    bool body_done = false;
    for (int round = 0; round < 100000; ++round) {
        bool progress = false;
        for (Event e; (e = s_.pull_event()).type != EventType::None;) {
            progress = true;
            if (e.type == EventType::BodyWanted) {
                body_written = 0, body_done = false;
                if (bodies != nullptr && e.message >= 1 && e.message <= bodies->size()) body_of_message = &(*bodies)[e.message - 1];
            }
            if (e.type == EventType::Ready || e.type == EventType::Closed || e.type == EventType::Error) {
                s_.ack(~std::size_t(0));  // the QUIT of a polite end
                return true;
            }
        }
        if (s_.in_body() && !body_done) {
            const std::string& body = *body_of_message;
            const std::size_t n = piece(chunking_.body, body_turn_, body.size() - body_written);
            const std::size_t taken = n == 0 ? 0 : s_.body(std::string_view(body).substr(body_written, n));
            body_written += taken;
            progress = progress || taken > 0;
            if (body_written == body.size()) {
                s_.body_end();
                body_done = progress = true;
                if (after_body_end) after_body_end();
            }
        }
        if (!s_.client().send_buf().empty()) {
            s_.ack(piece(chunking_.acks, ack_turn_, s_.client().send_buf().size()));
            progress = true;
        }
        // The server reads a whole flight before it answers, so its replies
        // do not depend on how the host cut the acknowledgements.
        if (s_.wire().size() > acked_ && s_.client().send_buf().empty()) {
            outbox_ += server_.respond(s_.wire().substr(acked_));
            acked_ = s_.wire().size();
        }
        if (!outbox_.empty()) {
            const std::size_t n = piece(chunking_.input, input_turn_, outbox_.size());
            const std::size_t taken = s_.feed(std::string_view(outbox_).substr(0, n));
            outbox_.erase(0, taken);
            progress = progress || taken > 0;
        }
        if (!progress) return false;
    }
    return false;
}

}  // namespace smtpcore::test
