// smtpcore-send: one pass over a file before sending, so the transfer
// encoding, the charset label and the SIZE= declaration are chosen from what
// the bytes are rather than guessed from a file name (RFC 2045 §6, RFC 1870).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace smtpcore::cli {

struct ContentScan {
    std::uint64_t size = 0;
    std::uint64_t non_ascii = 0;      ///< octets over 127
    std::uint64_t crlf = 0;           ///< CR LF pairs
    std::uint64_t bare_lf = 0;        ///< LF not after CR
    std::uint64_t bare_cr = 0;        ///< CR not before LF
    std::uint64_t longest_line = 0;   ///< octets between line breaks
    std::uint64_t qp_text_bound = 0;  ///< upper bound of quoted-printable (text mode) output
    bool nul = false;
    bool utf8 = true;                 ///< valid UTF-8 (ASCII included)
    bool utf16_bom = false;           ///< starts FF FE or FE FF
    bool boundary_line = false;       ///< a line starts "--=_" (the writer's boundary prefix)
    bool ends_crlf = false;

    bool ascii() const { return non_ascii == 0 && !nul; }
    /// Lines the 7bit/8bit labels allow (RFC 5322 §2.1.1, RFC 2045 §2.7).
    bool short_clean_lines() const { return !nul && longest_line <= 998 && !boundary_line; }
    /// Already canonical: every line break CRLF, so 7bit/8bit sends it unchanged.
    bool canonical() const { return bare_lf == 0 && bare_cr == 0; }
    /// What charset= can honestly say: us-ascii, utf-8, utf-16, else unknown-8bit (RFC 1428).
    std::string_view charset() const;
};

/// One octet of an RFC 3629 §4 check (without the overlong/surrogate corner
/// cases: a label check, not a validator). `pending` starts at 0; false when
/// the octet cannot be there. At the end, pending must be 0 again.
bool utf8_step(int& pending, unsigned char c);
/// The whole of `text` passes utf8_step().
bool is_utf8(std::string_view text);

/// Scans the regular file open on `fd` from `offset` to its end with pread
/// (the file position does not move). False on a read error.
bool scan_file(int fd, std::uint64_t offset, ContentScan& out);

/// The same scan of text held in memory (--body); `fast` false: octet by
/// octet, without plain_text_run() (the tests' reference).
ContentScan scan_text(std::string_view text, bool fast = true);

/// The length of the run of plain text at p[0..n): octets 32..126 but "="
/// and TAB, which the scan only counts. SSE2 on x86-64, the same answer as
/// plain_text_run_portable(); never reads outside p[0..n).
std::size_t plain_text_run(const char* p, std::size_t n);
std::size_t plain_text_run_portable(const char* p, std::size_t n);

/// Octets of `n` input octets in base64 with 76-column CRLF lines.
std::uint64_t base64_size(std::uint64_t n);
/// Octets of scanned text sent 7bit/8bit: line breaks canonicalised to CRLF.
std::uint64_t canonical_text_size(const ContentScan& s);

}  // namespace smtpcore::cli
