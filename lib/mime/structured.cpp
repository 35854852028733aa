// Structured header fields (RFC 5322 §3.6.4, RFC 2369 §2, RFC 5322 §3.6.8).
#include "structured.hpp"

#include "address.hpp"
#include "ascii.hpp"

namespace smtpcore::mime::detail {
namespace {

constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }
constexpr bool is_vchar(char c) noexcept { return c >= 33 && c <= 126; }

// RFC 2369 §3: the list fields whose value is a list of <URL>s.
bool is_list_url_field(std::string_view name) noexcept {
    static constexpr std::string_view kNames[] = {"list-help",  "list-unsubscribe", "list-subscribe",
                                                  "list-post",  "list-owner",       "list-archive"};
    for (std::string_view n : kNames)
        if (iequal(name, n)) return true;
    return false;
}

struct Word {
    std::string_view ws, word;
    std::size_t end;
};

Word word_at(std::string_view v, std::size_t i) noexcept {
    const std::size_t ws_start = i;
    while (i < v.size() && is_wsp(v[i])) ++i;
    const std::size_t word_start = i;
    while (i < v.size() && !is_wsp(v[i])) ++i;
    return Word{v.substr(ws_start, word_start - ws_start), v.substr(word_start, i - word_start), i};
}

// Where a resumable list starts: the checkpoint's key, else `fresh`.
std::size_t resume_at(const Sink& sink, std::size_t fresh) noexcept {
    const Checkpoint* cp = sink.resumed();
    return cp != nullptr ? cp->key : fresh;
}

// Stops a list when the window is full; records where to resume otherwise.
bool stop_before(Sink& sink, std::size_t key, bool first) noexcept {
    if (first) return false;
    sink.checkpoint(key);
    return sink.full();
}

// RFC 2369 §2: one "<" URL ">" item; `end` is just past the ">".
struct UrlItem {
    std::string_view item;
    std::size_t end;
};

UrlItem url_at(std::string_view v, std::size_t i) noexcept {
    while (i < v.size() && (is_wsp(v[i]) || v[i] == ',')) ++i;
    if (i >= v.size() || v[i] != '<') return UrlItem{{}, v.size()};
    const std::size_t close = v.find('>', i);
    if (close == std::string_view::npos) return UrlItem{{}, v.size()};
    return UrlItem{v.substr(i, close + 1 - i), close + 1};
}

const char* check_msg_id_list(std::string_view value) noexcept {
    std::size_t ids = 0;
    for (std::size_t i = 0; i < value.size();) {
        const Word w = word_at(value, i);
        i = w.end;
        if (w.word.empty()) break;
        if (w.word.front() != '<' || w.word.back() != '>') return "holds a msg-id without <> (RFC 5322 §3.6.4)";
        if (check_msg_id(w.word) != nullptr) return "holds a malformed msg-id (RFC 5322 §3.6.4)";
        ++ids;
    }
    return ids == 0 ? "has no msg-id" : nullptr;
}

// RFC 2369 §2: list-field = "<" URL ">" *( "," "<" URL ">" ) with white space
// around the commas (comments are not supported: use HeaderKind::Raw).
const char* check_url_list(std::string_view value) noexcept {
    std::size_t i = 0, items = 0;
    for (;;) {
        while (i < value.size() && is_wsp(value[i])) ++i;
        if (i == value.size()) break;
        if (items > 0) {
            if (value[i] != ',') return "URLs must be separated by commas (RFC 2369 §2)";
            ++i;
            while (i < value.size() && is_wsp(value[i])) ++i;
        }
        if (i == value.size() || value[i] != '<') return "holds something other than <URL> (RFC 2369 §2)";
        std::size_t k = i + 1;
        while (k < value.size() && is_vchar(value[k]) && value[k] != '<' && value[k] != '>') ++k;
        if (k == value.size() || value[k] != '>' || k == i + 1) return "holds an unterminated or malformed <URL>";
        if (k + 1 - i > kMaxToken) return "holds a URL longer than 900 octets";
        i = k + 1;
        ++items;
    }
    return items == 0 ? "has no <URL>" : nullptr;
}

// RFC 5322 §3.6.8 (unstructured, printable ASCII only) with the bounds that
// keep every line under 998 octets when folded at the value's white space.
const char* check_raw(std::string_view value) noexcept {
    std::size_t word = 0, ws = 0;
    for (char c : value) {
        if (is_wsp(c)) {
            word = 0;
            if (++ws > 70) return "has a run of white space longer than 70 octets";
        } else if (is_vchar(c)) {
            ws = 0;
            if (++word > kMaxToken) return "has a word longer than 900 octets (it could not fold)";
        } else {
            return "has an octet that is not printable ASCII (use Unstructured)";
        }
    }
    return nullptr;
}

}  // namespace

HeaderKind resolve_header_kind(const Header& h) noexcept {
    if (h.kind != HeaderKind::Auto) return h.kind;
    if (iequal(h.name, "in-reply-to") || iequal(h.name, "references")) return HeaderKind::MsgIdList;
    // RFC 3282 §2: a list of ASCII language tags, structured, never encoded-words.
    if (iequal(h.name, "content-language")) return HeaderKind::Raw;
    if (is_list_url_field(h.name)) {
        std::size_t i = 0;
        while (i < h.value.size() && is_wsp(h.value[i])) ++i;
        return i < h.value.size() && h.value[i] == '<' ? HeaderKind::UrlList : HeaderKind::Raw;
    }
    return HeaderKind::Unstructured;
}

const char* check_header_value(HeaderKind k, std::string_view value) noexcept {
    switch (k) {
        case HeaderKind::MsgIdList: return check_msg_id_list(value);
        case HeaderKind::UrlList: return check_url_list(value);
        case HeaderKind::Raw: return check_raw(value);
        case HeaderKind::Auto:
        case HeaderKind::Unstructured: break;
    }
    return nullptr;
}

// RFC 5322 §3.6.4: in-reply-to = "In-Reply-To:" 1*msg-id CRLF (same for
// references). Ids are re-spaced with single spaces and folded between.
void put_msg_id_list(Sink& sink, std::string_view value) noexcept {
    std::size_t i = resume_at(sink, 0);
    const bool fresh = sink.resumed() == nullptr;
    while (i < value.size()) {
        if (stop_before(sink, i, fresh && i == 0)) return;
        const Word w = word_at(value, i);
        i = w.end;
        if (!w.word.empty()) sink.token(w.word);
    }
}

void put_msg_ids(Sink& sink, Span<const std::string_view> ids) noexcept {
    for (std::size_t i = resume_at(sink, 0); i < ids.size(); ++i) {
        if (stop_before(sink, i, i == 0)) return;
        const std::string_view id = strip_angles(ids[i]);
        // "<" id ">" as one token: a msg-id never folds inside (no-fold-literal).
        if (sink.fold_needed(id.size() + 3)) {
            sink.crlf();
        }
        sink.put(' ');
        sink.put('<');
        sink.put(id);
        sink.put('>');
        sink.mark_word();
    }
}

// RFC 2369 §2: "<url>," tokens, folded after the commas.
void put_url_list(Sink& sink, std::string_view value) noexcept {
    std::size_t i = resume_at(sink, 0);
    const bool fresh = sink.resumed() == nullptr;
    while (i < value.size()) {
        if (stop_before(sink, i, fresh && i == 0)) return;
        const UrlItem u = url_at(value, i);
        i = u.end;
        if (u.item.empty()) break;
        const bool more = !url_at(value, i).item.empty();
        sink.token(u.item, more ? std::string_view(",") : std::string_view());
    }
}

void put_raw(Sink& sink, std::string_view value) noexcept {
    std::size_t begin = 0;
    while (begin < value.size() && is_wsp(value[begin])) ++begin;
    std::size_t i = resume_at(sink, begin);
    while (i < value.size()) {
        if (stop_before(sink, i, i == begin)) return;
        const Word w = word_at(value, i);
        i = w.end;
        if (w.word.empty()) break;  // trailing white space is not kept
        sink.spaced(w.ws.empty() ? std::string_view(" ") : w.ws, w.word);
    }
}

}  // namespace smtpcore::mime::detail
