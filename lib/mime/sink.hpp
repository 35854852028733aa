// A resumable text sink for header blocks, and the one layout policy every
// header writer goes through.
//
// Header text is rendered by plain functions, start to end of a segment (one
// header field or one part head); the sink drops the first `skip` octets
// (already written by an earlier read()) and keeps at most `cap` octets. So the
// writer stores only "which segment, how far", O(1) state, and any window size
// works. To keep small windows linear, renderers of long segments record
// checkpoints (see Checkpoint) and stop once the window is full: the next
// rendering starts at the last checkpoint the window reached instead of at the
// start of the segment.
//
// Layout policy (RFC 5322 §2.1.1, RFC 2047 §2):
//   - a line SHOULD hold at most 78 characters: the sink folds before that
//     wherever the grammar allows white space;
//   - a line holding an encoded-word holds at most 76 characters;
//   - a line MUST hold at most 998 characters: everything the writer emits
//     is made of tokens shorter than that (validation bounds them), and runs
//     of white space are split by a fold or encoded.
// Folding only ever inserts CRLF before a white-space octet (RFC 5322 §2.2.3),
// so unfolding gives back exactly the text that was folded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "smtpcore/mime/writer.hpp"  // detail::Checkpoint

namespace smtpcore::mime::detail {

/// RFC 5322 §2.1.1: the soft line limit (without CRLF).
constexpr std::size_t kSoftLimit = 78;
/// RFC 2047 §2: a line holding an encoded-word is at most 76 characters.
constexpr std::size_t kEncodedLineLimit = 76;
/// RFC 5322 §2.1.1: the hard line limit (without CRLF).
constexpr std::size_t kHardLimit = 998;
/// The longest token a caller may put in a structured field: it must fit a
/// continuation line (" " token) under the hard limit with room to spare.
constexpr std::size_t kMaxToken = 900;

class Sink {
public:
    Sink(char* out, std::size_t cap, std::size_t skip) noexcept : out_(out), cap_(cap), skip_(skip) {}
    /// Starts at `from` (a checkpoint an earlier rendering of the same segment
    /// recorded) instead of at the start of the segment.
    Sink(char* out, std::size_t cap, std::size_t skip, const Checkpoint& from) noexcept
        : out_(out), cap_(cap), skip_(skip) {
        if (!from.valid) return;
        start_ = from;
        last_ = from;
        pos_ = from.pos;
        column_ = from.column;
        word_on_line_ = from.word_on_line;
        encoded_on_line_ = from.encoded_on_line;
    }

    void put(char c) noexcept {
        if (pos_ >= skip_ && pos_ - skip_ < cap_) out_[pos_ - skip_] = c;
        ++pos_;
        if (c == '\n') {
            column_ = 0;
            encoded_on_line_ = false;
        } else {
            ++column_;
        }
    }
    void put(std::string_view s) noexcept {
        // Copy the part of [pos_, pos_ + size) that lands in the window.
        const std::size_t begin = pos_ > skip_ ? pos_ : skip_;
        const std::size_t end_window = skip_ + cap_;
        const std::size_t end = pos_ + s.size() < end_window ? pos_ + s.size() : end_window;
        if (begin < end) std::memcpy(out_ + (begin - skip_), s.data() + (begin - pos_), end - begin);
        pos_ += s.size();
        const std::size_t nl = s.rfind('\n');
        if (nl == std::string_view::npos) {
            column_ += s.size();
        } else {
            column_ = s.size() - nl - 1;
            encoded_on_line_ = false;
        }
    }
    void crlf() noexcept { put("\r\n"); }

    /// Starts a header field: "Name:" (RFC 5322 §2.2).
    void field(std::string_view name) noexcept {
        put(name);
        put(':');
        word_on_line_ = false;
    }

    /// The column limit for the current line: 76 once it holds an
    /// encoded-word, else 78.
    std::size_t limit() const noexcept { return encoded_on_line_ ? kEncodedLineLimit : kSoftLimit; }

    /// Writes white space `ws` then `word`, folding first when the word would
    /// pass the line limit: the current line takes as much of `ws` as fits and
    /// the rest starts the next line (so a run of white space is split, never
    /// written whole past the limit). Never folds at the start of a line.
    /// `tail` (e.g. a list's ",") is glued after the word and counted with it.
    void spaced(std::string_view ws, std::string_view word, std::string_view tail = {}) noexcept {
        if (!ws.empty() && fold_needed(ws.size() + word.size() + tail.size())) {
            std::size_t keep = column_ < limit() ? limit() - column_ : 0;
            if (keep > ws.size() - 1) keep = ws.size() - 1;
            put(ws.substr(0, keep));
            crlf();
            put(ws.substr(keep));
        } else {
            put(ws);
        }
        put(word);
        put(tail);
        word_on_line_ = true;
    }
    /// A structured-field token after a single space.
    void token(std::string_view word, std::string_view tail = {}) noexcept { spaced(" ", word, tail); }
    /// True when `width` more octets would pass the line limit on a line
    /// that already holds something worth breaking after.
    bool fold_needed(std::size_t width) const noexcept { return can_fold() && column_ + width > limit(); }
    /// Folding is pointless at the start of a continuation line, and right
    /// after "Name:" it would make some parsers (Python's email) keep the
    /// folding space as part of the value.
    bool can_fold() const noexcept { return word_on_line_ && column_ > 1; }
    /// Records that a word was written by hand (put) on the current line.
    void mark_word() noexcept { word_on_line_ = true; }
    /// Records that the current line holds an encoded-word (76-column limit).
    void mark_encoded() noexcept {
        encoded_on_line_ = true;
        word_on_line_ = true;
    }

    std::size_t column() const noexcept { return column_; }
    /// Octets placed in the window by this rendering.
    std::size_t written() const noexcept {
        if (pos_ <= skip_) return 0;
        return pos_ - skip_ < cap_ ? pos_ - skip_ : cap_;
    }
    /// Octets this rendering produced, kept or not: the work it did (tests
    /// use it to show that windowed rendering stays linear).
    std::size_t rendered() const noexcept { return pos_ - (start_.valid ? start_.pos : 0); }
    /// True when the whole rendering fitted (nothing is left for the next window).
    bool complete() const noexcept { return pos_ <= skip_ + cap_; }
    /// True once the window is full: a renderer may stop, its output is not needed.
    bool full() const noexcept { return pos_ > skip_ + cap_; }

    /// The checkpoint this rendering started from, or nullptr at the segment start.
    const Checkpoint* resumed() const noexcept { return start_.valid ? &start_ : nullptr; }
    /// Records that the renderer could resume here with these keys. Kept only
    /// while everything before it lies within this window or earlier ones.
    void checkpoint(std::size_t key, std::size_t key2 = 0, bool flag = false) noexcept {
        if (pos_ > skip_ + cap_) return;
        last_ = Checkpoint{pos_, key, key2, static_cast<std::uint16_t>(column_), word_on_line_, encoded_on_line_,
                           flag, true};
    }
    /// The latest checkpoint within the window (invalid when there was none).
    const Checkpoint& last_checkpoint() const noexcept { return last_; }

private:
    char* out_;
    std::size_t cap_;
    std::size_t skip_;
    std::size_t pos_ = 0;
    std::size_t column_ = 0;
    bool word_on_line_ = false;
    bool encoded_on_line_ = false;
    Checkpoint start_;
    Checkpoint last_;
};

}  // namespace smtpcore::mime::detail
