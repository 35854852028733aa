// smtpcore::mime — the streaming message writer.
//
// The writer turns a Message into RFC 5322 / MIME octets, a window at a time:
//
//     MessageWriter w;
//     if (MimeError e = w.start(msg)) { /* e.field, e.reason: nothing was written */ }
//     for (;;) { ReadResult r = w.read(window); ... until End or Failed }
//
// or hands `w.source()` to the engine's driver like any other BodySource.
// Its state is a fixed-size object (sizeof(MessageWriter), a few hundred
// octets) whatever the size of the parts: part contents are pulled from their
// sources straight into the caller's window and encoded there in place.
//
// Output: CRLF line endings only, no line over 998 octets, header lines
// folded at 78 columns where the grammar allows (76 where a line holds an
// encoded-word). The engine dot-stuffs. docs/mime.md has the rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "smtpcore/body_source.hpp"
#include "smtpcore/codec/base64.hpp"
#include "smtpcore/codec/quoted_printable.hpp"
#include "smtpcore/detail/text_run.hpp"
#include "smtpcore/mime/error.hpp"
#include "smtpcore/mime/message.hpp"
#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::mime {

/// The encoding actually used for a part (Auto resolved).
enum class TransferEncoding : std::uint8_t { SevenBit, EightBit, QuotedPrintable, Base64 };

namespace detail {
/// Copies 7bit/8bit content through, checking what the declared encoding
/// promises (RFC 2045 §2.7, §2.8): no NUL, lines of at most 998 octets, for
/// 7bit no octet above 127, and no line starting with "--" and the stem of
/// this message's boundaries (RFC 2046 §5.1.1). Text in an ASCII-compatible
/// charset has its line breaks canonicalised to CRLF; other content must
/// already use CRLF only (a bare CR or LF is a breach).
class LineChecker {
public:
    void reset(bool eight_bit, bool canonical, const char* stem, std::uint8_t stem_len) noexcept;
    /// Returns octets written, or -1 with reason() set on a breach. Output ≤ 2n+2.
    long update(const char* in, std::size_t n, char* out) noexcept;
    const char* reason() const noexcept { return reason_; }

private:
    bool breach(const char* why) noexcept {
        reason_ = why;
        return false;
    }
    bool check_octet(char c) noexcept;

    const char* stem_ = nullptr;
    const char* reason_ = nullptr;
    std::uint16_t line_ = 0;    // octets on the current line
    std::int8_t prefix_ = 0;    // how much of "--" stem this line starts with; -1: no
    std::uint8_t stem_len_ = 0;
    bool eight_bit_ = false;
    bool canonical_ = true;
    bool after_cr_ = false;
};
#if defined(SMTPCORE_TEXT_RUN_SSE2)
/// x86 only: the loop LineChecker copies plain text with (text_run.hpp).
smtpcore::detail::TextKernel line_kernel() noexcept;
/// Returns false, and changes nothing, when the CPU lacks the kernel.
bool select_line_kernel(smtpcore::detail::TextKernel kernel) noexcept;
#endif

/// Canonicalises line breaks (CR, LF, CRLF) to CRLF for text that goes as
/// base64, so the decoded text does not depend on the encoding (RFC 2049 §4).
class CrlfCanonicaliser {
public:
    /// Writes at most 2n octets; `out` may lie below `in` in one buffer when
    /// in - out >= n.
    std::size_t update(const char* in, std::size_t n, char* out) noexcept;

private:
    bool after_cr_ = false;
};

/// Where rendering a header segment can resume (lib/mime/sink.hpp): the
/// octets before that point, the layout state there and renderer keys.
struct Checkpoint {
    std::size_t pos = 0;
    std::size_t key = 0;
    std::size_t key2 = 0;
    std::uint16_t column = 0;
    bool word_on_line = false;
    bool encoded_on_line = false;
    bool flag = false;
    bool valid = false;
};
}  // namespace detail

class MessageWriter {
public:
    /// Size of the internal buffer used when the caller's window is smaller
    /// than kMinInPlace octets (tiny windows still work, just slower).
    static constexpr std::size_t kStage = 128;
    static constexpr std::size_t kMinInPlace = 64;

    MessageWriter() noexcept = default;
    MessageWriter(const MessageWriter&) = delete;  // source() hands out `this`
    MessageWriter& operator=(const MessageWriter&) = delete;

    /// Validates the whole message description (every header value, address,
    /// name, content type, filename) and prepares to write. On error nothing
    /// is written and read() returns Failed. `msg` and all it points to must
    /// outlive the writing. Can be called again to write another message.
    MimeError start(const Message& msg) noexcept;

    /// Writes the next octets of the message into `out`.
    /// Data: `size` octets written (> 0 unless out is empty), call again.
    /// Pending: a part's source has nothing now; call again later.
    /// End: `size` final octets written; the message is complete.
    /// Failed: see error(); the message must not be completed.
    ReadResult read(MutableBytes out) noexcept;

    /// This writer as a BodySource (valid while the writer lives and is not moved).
    BodySource source() noexcept { return BodySource{&MessageWriter::thunk, this}; }

    /// Why start() refused or read() failed; ok() otherwise.
    MimeError error() const noexcept { return error_; }

    /// Encoding chosen for the part being (or last) written.
    TransferEncoding current_encoding() const noexcept { return enc_; }

private:
    static ReadResult thunk(void* self, MutableBytes out) noexcept {
        return static_cast<MessageWriter*>(self)->read(out);
    }
    enum class Phase : std::uint8_t { Idle, Headers, PartHead, Body, PartTail, Done, Failed };

    std::size_t render(char* out, std::size_t cap, bool& complete) noexcept;
    void begin_part() noexcept;
    std::size_t encode_into(char* region, std::size_t room, ReadStatus& status) noexcept;
    ReadResult fail(const char* field, const char* reason, std::size_t index) noexcept;
    std::string_view boundary_stem() const noexcept { return std::string_view(boundary_[0], stem_len_); }

    const Message* msg_ = nullptr;
    Phase phase_ = Phase::Idle;
    std::size_t item_ = 0;    // header field number, or leaf part number
    std::size_t offset_ = 0;  // octets of the current rendered segment already written
    detail::Checkpoint resume_;  // where rendering the current segment resumes
    char boundary_[3][24] = {};  // mixed, alternative, related
    std::uint8_t stem_len_ = 0;  // boundary prefix the three share; 0: single part
    bool eight_bit_[3] = {};     // container holds an 8bit part (RFC 2045 §6.4)

    // The leaf part being written.
    const Part* part_ = nullptr;
    BodySource src_;
    BufferSource buffer_{Bytes()};
    TransferEncoding enc_ = TransferEncoding::SevenBit;
    codec::Base64LineEncoder b64_;
    codec::QpEncoder qp_;
    detail::LineChecker lines_;
    detail::CrlfCanonicaliser crlf_;
    bool canonical_ = false;  // the part's line breaks are canonicalised
    char last_[2] = {'\r', '\n'};  // last two body octets: does the body end in CRLF?
    bool body_done_ = false;

    char stage_[kStage] = {};
    std::uint16_t stage_pos_ = 0;
    std::uint16_t stage_len_ = 0;
    MimeError error_;
};

}  // namespace smtpcore::mime
SMTPCORE_END_PUBLIC
