// A resumable text sink for header blocks.
//
// Header text is rendered by plain functions, start to end, every time the
// writer needs more of it; the sink drops the first `skip` octets (already
// written by an earlier read()) and keeps at most `cap` octets. So the writer
// stores only "which segment, how far", O(1) state, and any window size works.
// Segments are small (one header field or one part header), so rendering one
// again per window costs little.
//
// The sink also tracks the output column, which the folding rules need
// (RFC 5322 §2.1.1: lines SHOULD be ≤ 78 characters, MUST be ≤ 998).
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace smtpcore::mime::detail {

class Sink {
public:
    static constexpr std::size_t kFoldAt = 78;

    Sink(char* out, std::size_t cap, std::size_t skip) noexcept : out_(out), cap_(cap), skip_(skip) {}

    void put(char c) noexcept {
        if (pos_ >= skip_ && pos_ - skip_ < cap_) out_[pos_ - skip_] = c;
        ++pos_;
        column_ = (c == '\n') ? 0 : column_ + 1;
    }
    void put(std::string_view s) noexcept {
        // Copy the part of [pos_, pos_ + size) that lands in the window.
        const std::size_t begin = pos_ > skip_ ? pos_ : skip_;
        const std::size_t end_window = skip_ + cap_;
        const std::size_t end = pos_ + s.size() < end_window ? pos_ + s.size() : end_window;
        if (begin < end) std::memcpy(out_ + (begin - skip_), s.data() + (begin - pos_), end - begin);
        pos_ += s.size();
        for (char c : s) column_ = (c == '\n') ? 0 : column_ + 1;
    }
    void crlf() noexcept { put("\r\n"); }

    /// Starts a header field: "Name:" (RFC 5322 §2.2).
    void field(std::string_view name) noexcept {
        put(name);
        put(':');
        word_on_line_ = false;
    }

    /// Writes white space `ws` then `word`, folding first when the word would
    /// pass column 78. Folding inserts CRLF before the last white-space octet
    /// (RFC 5322 §2.2.3: unfolding removes only the CRLF, so the text is kept).
    /// Never folds at the start of a continuation line: nothing would be gained.
    void spaced(std::string_view ws, std::string_view word) noexcept {
        if (!ws.empty() && fold_needed(ws.size() + word.size())) {
            put(std::string_view(ws.data(), ws.size() - 1));
            crlf();
            put(ws[ws.size() - 1]);
        } else {
            put(ws);
        }
        put(word);
        word_on_line_ = true;
    }
    /// A structured-field token after a single space.
    void token(std::string_view word) noexcept { spaced(" ", word); }
    /// True when `width` more octets would pass the fold column on a line
    /// that already holds something worth breaking after.
    bool fold_needed(std::size_t width) const noexcept { return can_fold() && column_ + width > kFoldAt; }
    /// Folding is pointless at the start of a continuation line, and right
    /// after "Name:" it would make some parsers (Python's email) keep the
    /// folding space as part of the value.
    bool can_fold() const noexcept { return word_on_line_ && column_ > 1; }
    /// Records that a word was written by hand (put) on the current line.
    void mark_word() noexcept { word_on_line_ = true; }

    std::size_t column() const noexcept { return column_; }
    /// Octets placed in the window by this rendering.
    std::size_t written() const noexcept {
        if (pos_ <= skip_) return 0;
        return pos_ - skip_ < cap_ ? pos_ - skip_ : cap_;
    }
    /// True when the whole rendering fitted (nothing is left for the next window).
    bool complete() const noexcept { return pos_ <= skip_ + cap_; }

private:
    char* out_;
    std::size_t cap_;
    std::size_t skip_;
    std::size_t pos_ = 0;
    std::size_t column_ = 0;
    bool word_on_line_ = false;
};

}  // namespace smtpcore::mime::detail
