// Header text (RFC 5322 §3.2, RFC 2047).
#include "header_text.hpp"

#include "smtpcore/codec/address_syntax.hpp"

#include <cstdint>

#include "smtpcore/codec/base64.hpp"

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

// RFC 3629 §4:
//   UTF8-2 = %xC2-DF UTF8-tail
//   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
//            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
//   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
//            %xF4 %x80-8F 2( UTF8-tail )
bool valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return false;
        }
        if (i + len > n) return false;
        if (p[i + 1] < lo || p[i + 1] > hi) return false;
        for (std::size_t k = 2; k < len; ++k)
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
        i += len;
    }
    return true;
}

std::size_t utf8_char_length(std::string_view s, std::size_t i) noexcept {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return i + len > s.size() ? s.size() - i : len;
}

void put_encoded_words(Sink& sink, std::string_view ws, std::string_view text) noexcept {
    // Pick "Q" when it is no longer than "B" for the whole text (RFC 2047 §4).
    std::size_t q_total = 0;
    for (char c : text) q_total += q_width(static_cast<unsigned char>(c));
    const bool use_q = q_total <= codec::base64_encoded_size(text.size());

    std::size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
        const std::string_view sep = first ? ws : std::string_view(" ");
        // Fold before the word when too little of this line is left
        // (RFC 2047 §2: a line holding encoded-words is still ≤ 76 + CRLF).
        std::size_t at = sink.column() + sep.size();
        if (at + kMinRoom > Sink::kFoldAt && sink.can_fold()) {
            sink.put(std::string_view(sep.data(), sep.size() - 1));
            sink.crlf();
            sink.put(' ');
        } else {
            sink.put(sep);
        }
        at = sink.column();
        std::size_t room = at < Sink::kFoldAt ? Sink::kFoldAt - at : 0;
        if (room > kMaxWord) room = kMaxWord;
        if (room < kMinRoom) room = kMinRoom;  // only after a very long header name

        // Take whole UTF-8 characters while the word still fits: never split
        // a character across words (RFC 2047 §5 last paragraph).
        std::size_t end = pos;
        std::size_t width = 0;
        while (end < text.size()) {
            const std::size_t len = utf8_char_length(text, end);
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
            for (std::size_t i = pos; i < end; ++i) {
                const auto c = static_cast<unsigned char>(text[i]);
                if (c == ' ') {
                    sink.put('_');  // RFC 2047 §4.2 (2)
                } else if (q_safe(c)) {
                    sink.put(static_cast<char>(c));
                } else {
                    const char esc[3] = {'=', kHex[c >> 4], kHex[c & 15]};
                    sink.put(std::string_view(esc, 3));
                }
            }
        } else {
            char b64[kMaxWord];
            const std::size_t len = codec::base64_encode(text.data() + pos, end - pos, b64);
            sink.put(std::string_view(b64, len));
        }
        sink.put("?=");
        sink.mark_word();
        pos = end;
        first = false;
    }
}

namespace {

// A word needs encoding when it is not plain printable ASCII, when it could be
// taken for an encoded-word (RFC 2047 §6.2 would decode "=?...?="), or when it
// is too long to fold under 78 columns even on a line of its own.
bool needs_encoding(std::string_view ws, std::string_view word) noexcept {
    if (ws.size() + word.size() > Sink::kFoldAt - 2) return true;
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
// Leading white space of the value is not kept: every parser drops it.
void put_unstructured(Sink& sink, std::string_view value) noexcept {
    std::size_t i = 0;
    while (i < value.size() && is_wsp(value[i])) ++i;
    bool first = true;
    if (i == value.size()) return;
    while (i < value.size()) {
        WordSplit w = next_word(value, i);
        const std::string_view ws = first ? std::string_view(" ") : w.ws;
        // The first word cannot fold away from "Name:", so it must fit there.
        const bool too_wide = first && sink.column() + 1 + w.word.size() > Sink::kFoldAt;
        if (!too_wide && !needs_encoding(w.ws, w.word)) {
            sink.spaced(ws, w.word);
            i = w.end;
        } else {
            // Merge the following words that need encoding into one run: white
            // space between adjacent encoded-words is dropped by decoders
            // (RFC 2047 §6.2), so it must travel inside the encoded text.
            const std::size_t run_start = i + w.ws.size();
            std::size_t run_end = w.end;
            while (run_end < value.size()) {
                const WordSplit next = next_word(value, run_end);
                if (next.word.empty() || !needs_encoding(next.ws, next.word)) break;
                run_end = next.end;
            }
            put_encoded_words(sink, ws, std::string_view(value.data() + run_start, run_end - run_start));
            i = run_end;
        }
        first = false;
    }
}

// RFC 5322 §3.2.5: phrase = 1*word / obs-phrase;  word = atom / quoted-string
// RFC 5322 §3.2.4: quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]
void put_phrase(Sink& sink, std::string_view name) noexcept {
    bool ascii = true, atoms = true;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) ascii = false;
        if (c == ' ') {
            if (i == 0 || i + 1 == name.size() || name[i + 1] == ' ') atoms = false;
        } else if (!codec::is_atext(c)) {
            atoms = false;
        }
    }
    // "=?" could be read as the start of an encoded-word (many decoders look
    // inside quoted-strings too), so such names are encoded themselves.
    if (name.find("=?") != std::string_view::npos) ascii = false;
    if (ascii && atoms) {
        for (std::size_t i = 0; i < name.size();) {
            const WordSplit w = next_word(name, i);
            if (w.word.size() + 2 > Sink::kFoldAt) {  // an atom that cannot fold
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
    if (!ascii || quoted + 2 > Sink::kFoldAt) {
        put_encoded_words(sink, " ", name);
        return;
    }
    if (sink.fold_needed(1 + quoted)) {
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
