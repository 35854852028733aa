// Header text (RFC 5322 §3.2, RFC 2047).
#include "header_text.hpp"

#include "smtpcore/codec/address_syntax.hpp"

#include <cstdint>

#include "smtpcore/codec/base64.hpp"
#include "smtpcore/codec/xtext.hpp"

namespace smtpcore::mime::detail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

// RFC 2047 §5 (3): in a phrase, a "Q"-encoded word may contain only letters,
// digits, "!", "*", "+", "-", "/" (plus "=" and "_" with their meaning). We
// use this strictest set everywhere so one encoder serves every context.
bool q_safe(unsigned char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

std::size_t q_width(unsigned char c) noexcept { return (q_safe(c) || c == ' ') ? 1 : 3; }

// "=?UTF-8?Q?" + "?=": RFC 2047 §2 encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
constexpr std::size_t kOverhead = 12;
constexpr std::size_t kMaxWord = 75;  // RFC 2047 §2: at most 75 characters
// Room that always holds one encoded character (4 UTF-8 octets, "Q" worst case).
constexpr std::size_t kMinRoom = kOverhead + 12;

}  // namespace

bool has_line_break_or_nul(std::string_view s) noexcept {
    for (char c : s)
        if (c == '\r' || c == '\n' || c == '\0') return true;
    return false;
}

// RFC 3629 §4 (the codec's check, shared with the engine's ORCPT check).
bool valid_utf8(std::string_view s) noexcept { return codec::is_utf8(s); }

std::size_t utf8_char_length(std::string_view s, std::size_t i) noexcept {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return i + len > s.size() ? s.size() - i : len;
}

namespace {

// Pick "Q" when it is no longer than "B" for the whole text (RFC 2047 §4).
bool q_is_shorter(std::string_view text) noexcept {
    std::size_t q_total = 0;
    for (char c : text) q_total += q_width(static_cast<unsigned char>(c));
    return q_total <= codec::base64_encoded_size(text.size());
}

void put_q_text(Sink& sink, std::string_view text) noexcept {
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ') {
            sink.put('_');  // RFC 2047 §4.2 (2)
        } else if (q_safe(c)) {
            sink.put(ch);
        } else {
            const char esc[3] = {'=', kHex[c >> 4], kHex[c & 15]};
            sink.put(std::string_view(esc, 3));
        }
    }
}

// One run of encoded-words: text[pos, to), the first preceded by white space
// `ws` (or, when it does not fit, a fold that keeps the last octet of `ws`, so
// a tab stays a tab), the others by a space or a fold. `frame.prefix` is glued
// before the first word and `frame.suffix` after the last (a quoted parameter
// value). With `resumable`, a checkpoint (key pos, key2 to, flag use_q) is
// recorded before each word after the first.
void encode_span(Sink& sink, std::string_view ws, std::string_view text, std::size_t pos, std::size_t to,
                 bool use_q, const WordFrame& frame, bool resumable, bool first) noexcept {
    while (pos < to) {
        if (!first && resumable) {
            sink.checkpoint(pos, to, use_q);
            if (sink.full()) return;
        }
        const std::string_view sep = first ? ws : std::string_view(" ");
        const std::size_t lead = first ? frame.prefix.size() : 0;
        // RFC 2047 §2: a line holding encoded-words is at most 76 characters.
        const std::size_t at = sink.column() + sep.size() + lead;
        if (!sep.empty() && at + kMinRoom + frame.suffix.size() > kEncodedLineLimit && sink.can_fold()) {
            sink.put(sep.substr(0, sep.size() - 1));
            sink.crlf();
            sink.put(sep.back());
        } else {
            sink.put(sep);
        }
        if (first) sink.put(frame.prefix);
        const std::size_t col = sink.column();
        std::size_t room = col + frame.suffix.size() < kEncodedLineLimit ? kEncodedLineLimit - col - frame.suffix.size() : 0;
        if (room > kMaxWord) room = kMaxWord;
        if (room < kMinRoom) room = kMinRoom;  // only after a very long header name

        // Take whole UTF-8 characters while the word still fits: never split
        // a character across words (RFC 2047 §5 last paragraph).
        std::size_t end = pos;
        std::size_t width = 0;
        while (end < to) {
            std::size_t len = utf8_char_length(text, end);
            if (end + len > to) len = to - end;
            std::size_t next;
            if (use_q) {
                next = width;
                for (std::size_t k = 0; k < len; ++k) next += q_width(static_cast<unsigned char>(text[end + k]));
            } else {
                next = codec::base64_encoded_size(end + len - pos);
            }
            if (kOverhead + next > room) break;
            width = next;
            end += len;
        }
        sink.put(use_q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
        if (use_q) {
            put_q_text(sink, text.substr(pos, end - pos));
        } else {
            char b64[kMaxWord];
            const std::size_t len = codec::base64_encode(text.data() + pos, end - pos, b64);
            sink.put(std::string_view(b64, len));
        }
        sink.put("?=");
        if (end == to) sink.put(frame.suffix);
        sink.mark_encoded();
        pos = end;
        first = false;
    }
}

}  // namespace

void put_encoded_words(Sink& sink, std::string_view ws, std::string_view text, const WordFrame& frame) noexcept {
    encode_span(sink, ws, text, 0, text.size(), q_is_shorter(text), frame, false, true);
}

namespace {

// A word needs encoding when it is not plain printable ASCII, when it could be
// taken for an encoded-word (RFC 2047 §6.2 would decode "=?...?="), or when it
// and the white space before it cannot fold under 76 columns even on a line
// of their own (a long run of white space then travels inside encoded-words).
bool needs_encoding(std::string_view ws, std::string_view word) noexcept {
    if (ws.size() + word.size() > kEncodedLineLimit - 1) return true;
    for (std::size_t i = 0; i < word.size(); ++i) {
        const auto c = static_cast<unsigned char>(word[i]);
        if (c < 0x20 || c >= 0x7F) return true;
        if (c == '=' && i + 1 < word.size() && word[i + 1] == '?') return true;
    }
    return false;
}

struct WordSplit {
    std::string_view ws, word;
    std::size_t end;  // index just past the word
};

WordSplit next_word(std::string_view v, std::size_t i) noexcept {
    const std::size_t ws_start = i;
    while (i < v.size() && is_wsp(v[i])) ++i;
    const std::size_t word_start = i;
    while (i < v.size() && !is_wsp(v[i])) ++i;
    return WordSplit{std::string_view(v.data() + ws_start, word_start - ws_start),
                     std::string_view(v.data() + word_start, i - word_start), i};
}

}  // namespace

// RFC 5322 §3.2.5: unstructured = (*([FWS] VCHAR) *WSP) / obs-unstruct
// Leading and trailing white space of the value is not kept: every parser
// drops the leading, and the trailing could only be written as a line of
// white space or a line that passes the limit (§3.2.2, §3.2.5).
// Checkpoints: key = offset of the next word (key2 = 0), or inside a run of
// encoded-words key = offset, key2 = end of the run, flag = "Q".
void put_unstructured(Sink& sink, std::string_view value) noexcept {
    std::size_t begin = 0, end = value.size();
    while (begin < end && is_wsp(value[begin])) ++begin;
    while (end > begin && is_wsp(value[end - 1])) --end;
    value = value.substr(0, end);
    std::size_t i = begin;
    if (const Checkpoint* cp = sink.resumed()) {
        i = cp->key;
        if (cp->key2 != 0) {
            encode_span(sink, " ", value, cp->key, cp->key2, cp->flag, WordFrame{}, true, false);
            i = cp->key2;
        }
    }
    while (i < value.size()) {
        const bool first = i == begin;
        if (!first) {
            sink.checkpoint(i);
            if (sink.full()) return;
        }
        const WordSplit w = next_word(value, i);
        // The first word cannot fold away from "Name:", so it must fit there.
        const bool too_wide = first && sink.column() + 1 + w.word.size() > sink.limit();
        if (!too_wide && !needs_encoding(w.ws, w.word)) {
            sink.spaced(first ? std::string_view(" ") : w.ws, w.word);
            i = w.end;
            continue;
        }
        // Merge the following words that need encoding into one run: white
        // space between adjacent encoded-words is dropped by decoders
        // (RFC 2047 §6.2), so it must travel inside the encoded text. Only
        // the first octet of the white space before the run stays outside.
        const std::size_t run_start = first ? i : i + 1;
        std::size_t run_end = w.end;
        while (run_end < value.size()) {
            const WordSplit next = next_word(value, run_end);
            if (next.word.empty() || !needs_encoding(next.ws, next.word)) break;
            run_end = next.end;
        }
        const std::string_view sep = first ? std::string_view(" ") : w.ws.substr(0, 1);
        const std::string_view run = value.substr(run_start, run_end - run_start);
        encode_span(sink, sep, value, run_start, run_end, q_is_shorter(run), WordFrame{}, true, true);
        if (sink.full()) return;
        i = run_end;
    }
}

// RFC 5322 §3.2.5: phrase = 1*word / obs-phrase;  word = atom / quoted-string
// RFC 5322 §3.2.4: quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]
// With `utf8` (RFC 6532 §3.2: atext and qtext include UTF8-non-ascii) a
// UTF-8 name is written raw, as atoms or a quoted-string, like ASCII.
void put_phrase(Sink& sink, std::string_view name, bool utf8) noexcept {
    bool ascii = true, atoms = true;  // "ascii": writable without encoded-words
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F || (u >= 0x80 && !utf8)) ascii = false;
        if (c == ' ') {
            if (i == 0 || i + 1 == name.size() || name[i + 1] == ' ') atoms = false;
        } else if (!codec::is_atext(c, utf8)) {
            atoms = false;
        }
    }
    // "=?" could be read as the start of an encoded-word (many decoders look
    // inside quoted-strings too), so such names are encoded themselves.
    if (name.find("=?") != std::string_view::npos) ascii = false;
    if (ascii && atoms) {
        for (std::size_t i = 0; i < name.size();) {
            const WordSplit w = next_word(name, i);
            if (w.word.size() + 2 > kSoftLimit) {  // an atom that cannot fold
                put_encoded_words(sink, " ", name);
                return;
            }
            i = w.end;
        }
        for (std::size_t i = 0; i < name.size();) {
            const WordSplit w = next_word(name, i);
            sink.token(w.word);
            i = w.end;
        }
        return;
    }
    std::size_t quoted = 2;
    for (char c : name) quoted += (c == '"' || c == '\\') ? 2 : 1;
    if (!ascii || quoted + 2 > kSoftLimit) {
        put_encoded_words(sink, " ", name);
        return;
    }
    // The quoted-string must fit the line it starts on: fold before it, or
    // (right after "Name:", where no fold helps) encode it instead.
    if (sink.column() + 1 + quoted > sink.limit()) {
        if (!sink.can_fold()) {
            put_encoded_words(sink, " ", name);
            return;
        }
        sink.crlf();
    }
    sink.put(' ');
    sink.put('"');
    for (char c : name) {
        if (c == '"' || c == '\\') sink.put('\\');  // quoted-pair, RFC 5322 §3.2.1
        sink.put(c);
    }
    sink.put('"');
    sink.mark_word();
}

}  // namespace smtpcore::mime::detail
