// smtpcore — the copy loop of the 7bit/8bit line checker for text that needs
// no change but CRLF line ends (lib/mime/line_checker.cpp). Internal, and
// included once per vector width: the includer defines kVector and
// copy_vector(in, out, eight_bit), which copies kVector octets and returns the
// mask of those that need a look (<= 13, and for 7bit >= 128; bit k for
// in[k]), plus Copied, starts_plain_line() and kMaxLine, in the namespace it
// includes this file in. No include guard on purpose.

// The common case of a text body: lines of ordinary octets ending in LF (made
// CRLF, when line ends are canonicalised) or CRLF, each next line starting
// with an octet for starts_plain_line(). Copies such text from inside a line
// (the boundary check is past; in[0] may end the line) to `out` in one pass: each
// vector is stored, then its marked octets are looked at one by one (a TAB or
// other control but NUL is ordinary). An LF made CRLF moves the rest of the
// output one octet up, so the loop goes on from the octet after it. Stops
// before anything that needs the careful path: a NUL, an 8-bit octet in 7bit,
// a bare CR or (not canonical) LF, a line end at the end of the piece or
// before a line that is not plain, a line that might pass kMaxLine, the last
// partial vector, or output about to come within kVector octets of the input
// (`gap`: how far the output trails at the start). `line` follows the
// current line's length. Loads stay inside [in, in + n).
inline Copied copy_lines(const char* in, std::size_t n, char* out, std::size_t gap, std::uint16_t& line,
                         bool eight_bit, bool canonical) noexcept {
    // The current line's room ends at `line_end` (its first octet is
    // kMaxLine before it, before `in` when the line began in an earlier piece).
    std::size_t line_end = kMaxLine - line;
    std::size_t previous_end = line_end;  // the line before's, if a CRLF is split below
    std::size_t limit = line_end < n ? line_end : n;
    std::size_t shift = 0;  // octets written minus octets read
    std::size_t r = 0;
    auto stop_at = [&](std::size_t at, std::size_t end) {
        line = static_cast<std::uint16_t>(at + kMaxLine - end);
        return Copied{at, at + shift};
    };
    while (r + kVector <= limit) {
        std::uint32_t marked = copy_vector(in + r, out + r + shift, eight_bit);
        std::size_t next = r + kVector;
        while (marked != 0) {
            const std::size_t at = r + static_cast<std::size_t>(__builtin_ctz(marked));
            marked &= marked - 1;
            const char c = in[at];
            if (c == '\n') {
                // The LF of a CRLF passed here (every CR passed had its LF
                // checked); in[0] may be an LF, and what is before `in` is not ours.
                if (at > 0 && in[at - 1] == '\r') continue;
                if (!canonical || at + 1 >= n || !starts_plain_line(in[at + 1], eight_bit) || shift + 1 + kVector > gap)
                    return stop_at(at, line_end);
                out[at + shift] = '\r';  // RFC 2049 §4: LF is made CRLF
                out[at + shift + 1] = '\n';
                ++shift;
                previous_end = line_end;
                line_end = at + 1 + kMaxLine;
                limit = line_end < n ? line_end : n;
                next = at + 1;  // the rest of this vector is stored one octet up
                break;
            }
            if (c == '\r') {
                if (at + 2 >= n || in[at + 1] != '\n' || !starts_plain_line(in[at + 2], eight_bit))
                    return stop_at(at, line_end);
                previous_end = line_end;
                line_end = at + 2 + kMaxLine;
                limit = line_end < n ? line_end : n;
                continue;
            }
            if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) return stop_at(at, line_end);
            // TAB and other controls: ordinary octets
        }
        r = next;
    }
    if (r > 0 && in[r - 1] == '\r') return stop_at(r - 1, previous_end);  // not between CR and LF
    return stop_at(r, line_end);
}
