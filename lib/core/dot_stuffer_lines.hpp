// smtpcore — the copy loop of DATA transparency for text that passes
// unchanged (lib/core/dot_stuffer.cpp). Internal, and included once per
// vector width: the includer defines kVector and copy_vector(in, out), which
// copies kVector octets and returns the mask of those <= 13 (bit k for
// in[k]), and finish_lines(), in the namespace it includes this file in.
// No include guard on purpose.

// The common case: lines that end in CRLF and whose next line does not start
// with "." pass unchanged, octet for octet. Copies such text kVector octets
// at a time from inside a line (in[0] is ordinary) and stops before anything
// that needs the state machine: a bare CR or LF, a CRLF at the end of the
// piece or before a "." (when `dots`), a line that might pass kMaxLine, and
// the last partial vector. One pass over the input: each vector is stored,
// then its octets <= 13 are looked at one by one (CR, LF, and the rare TAB
// or NUL, which are ordinary here). Returns the octets copied; `line_len`
// and `line_start` follow the state after them. Loads stay inside
// [in, in + n). Precondition: the output trails the input by kVector (a
// vector is stored before it is searched, so up to kVector - 1 octets past
// the stop are written too, all below unread input).
inline std::size_t copy_lines(const char* in, std::size_t n, char* out, std::uint16_t& line_len, bool& line_start,
                              bool dots) noexcept {
    // Every octet of a vector copied is one of its line's first 998 (a CR
    // at offset 998 is left to the state machine, which knows it is
    // allowed): `line_end` is kMaxLine past the line's first octet, which
    // lies before `in` when the line began in an earlier piece.
    std::size_t line_end = DotStuffer::kMaxLine - line_len;
    std::size_t previous_end = line_end;  // the line before's, if a CRLF is split below
    std::size_t limit = line_end < n ? line_end : n;
    std::size_t i = 0;
    while (i + kVector <= limit) {
        auto candidates = copy_vector(in + i, out + i);
        while (candidates != 0) {
            const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(candidates));
            candidates &= candidates - 1;
            const char c = in[at];
            if (c == '\n') {
                // The LF of a CRLF passed here (every CR passed had its LF
                // checked), or a bare LF; nothing before `in` is read.
                if (at > 0 && in[at - 1] == '\r') continue;
                return finish_lines(at, line_end, line_len, line_start);
            }
            if (c != '\r') continue;  // TAB, NUL, ...: ordinary octets
            if (at + 2 >= n || in[at + 1] != '\n' || (dots && in[at + 2] == '.'))
                return finish_lines(at, line_end, line_len, line_start);
            previous_end = line_end;
            line_end = at + 2 + DotStuffer::kMaxLine;
            limit = line_end < n ? line_end : n;
        }
        i += kVector;
    }
    if (i > 0 && in[i - 1] == '\r') return finish_lines(i - 1, previous_end, line_len, line_start);  // not between CR and LF
    return finish_lines(i, line_end, line_len, line_start);
}
