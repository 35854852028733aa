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
// folded at 78 columns where the grammar allows. The engine dot-stuffs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/body_source.hpp"
#include "smtpcore/codec/base64.hpp"
#include "smtpcore/codec/quoted_printable.hpp"
#include "smtpcore/mime/error.hpp"
#include "smtpcore/mime/message.hpp"
#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::mime {

/// The encoding actually used for a part (Auto resolved).
enum class TransferEncoding : std::uint8_t { SevenBit, EightBit, QuotedPrintable, Base64 };

namespace detail {
/// Copies 7bit/8bit text through, canonicalising line breaks to CRLF and
/// checking what the declared encoding promises (RFC 2045 §2.7, §2.8).
class LineChecker {
public:
    void reset(bool eight_bit) noexcept;
    /// Returns octets written, or -1 with reason() set on a breach. Output ≤ 2n+2.
    long update(const char* in, std::size_t n, char* out) noexcept;
    const char* reason() const noexcept { return reason_; }

private:
    std::uint16_t line_ = 0;   // octets on the current line
    std::int8_t prefix_ = 0;   // how much of "--=_" this line starts with; -1: no
    bool eight_bit_ = false;
    bool after_cr_ = false;
    const char* reason_ = nullptr;
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

    std::size_t render(char* out, std::size_t cap, std::size_t skip, bool& complete) const noexcept;
    void begin_part() noexcept;
    std::size_t encode_into(char* region, std::size_t room, ReadStatus& status) noexcept;
    ReadResult fail(const char* field, const char* reason, std::size_t index) noexcept;

    const Message* msg_ = nullptr;
    Phase phase_ = Phase::Idle;
    std::size_t item_ = 0;    // header field number, or leaf part number
    std::size_t offset_ = 0;  // octets of the current rendered segment already written
    char boundary_[3][24] = {};  // mixed, alternative, related

    // The leaf part being written.
    const Part* part_ = nullptr;
    BodySource src_;
    BufferSource buffer_{Bytes()};
    TransferEncoding enc_ = TransferEncoding::SevenBit;
    codec::Base64LineEncoder b64_;
    codec::QpEncoder qp_;
    detail::LineChecker lines_;
    char last_[2] = {'\r', '\n'};  // last two body octets: does the body end in CRLF?
    bool body_done_ = false;

    char stage_[kStage] = {};
    std::uint16_t stage_pos_ = 0;
    std::uint16_t stage_len_ = 0;
    MimeError error_;
};

}  // namespace smtpcore::mime
SMTPCORE_END_PUBLIC
