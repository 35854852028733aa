// CHUNKING and BINARYMIME (RFC 3030): message content in BDAT chunks of
// exact sizes instead of DATA's dot-stuffed stream. Every chunk is one line
// in the queue of outstanding commands; "BDAT n LAST" takes the place of the
// end-of-data marker, and its reply is the message's final reply.
//
// The chunk being filled sits behind send_tail_: room for its command line
// (kBdatLineMax), then its content, written by the same filter as DATA's
// without the dot-doubling (CRLF repair and the 998-octet line limit still
// hold, RFC 3030 §3), or copied verbatim for BODY=BINARYMIME. Its size is
// fixed when it reaches chunk_size() or at body_end() (LAST); only then is its
// command line written in front and the chunk handed to send_buf(). Every
// chunk but the last is exactly chunk_size() octets, so the wire does not
// depend on how the application split the body (docs/contributing.md §11).
//
// Compiled out with SMTPCORE_NO_CHUNKING (the lean microcontroller build).
#ifndef SMTPCORE_NO_CHUNKING

#include <cstring>

#include "commands.hpp"
#include "reason.hpp"
#include "smtpcore/client.hpp"

namespace smtpcore {

namespace {
constexpr std::uint32_t kLine = detail::kBdatLineMax;
constexpr std::uint32_t kLargestChunk = 32768;  // chunk_length is 16 bits
}  // namespace

const char* Client::check_chunking(const Envelope& envelope) const noexcept {
    if (config_.chunking == ChunkingPolicy::Always && !caps_.has(Extension::Chunking))
        return SMTPCORE_REASON("server does not offer CHUNKING and chunking is Always (RFC 3030)");
    // RFC 3030 §3: BODY=BINARYMIME only with BDAT, and only when offered.
    if (envelope.body == BodyType::BinaryMime && (!chunked() || !caps_.has(Extension::BinaryMime)))
        return SMTPCORE_REASON("BODY=BINARYMIME needs BDAT and a server that offers BINARYMIME (RFC 3030 §3)");
    return nullptr;
}

std::uint32_t Client::chunk_size() const noexcept {
    // A full chunk fits the send buffer with its command line, the next
    // chunk's reserved line, and the filter's margin (see chunk_window()).
    std::uint32_t size = kLargestChunk;
    while (size + 3 * kLine + 8 > send_cap_) size /= 2;
    return size;
}

std::uint32_t Client::open_chunk_bytes() const noexcept {
    return chunk_open_ ? kLine + chunk_length_ : 0;
}

void Client::start_chunks() noexcept {
    // RFC 3030 §2: no DATA and no 354: the content starts now, its BDATs
    // pipelined behind the envelope (or, without PIPELINING, after its replies).
    parsers_.stuffer.reset_without_dots();
    enter(SessionState::Body);
    queue_local(EventType::BodyWanted, "");
}

bool Client::chunk_completes_in_place() const noexcept {
    // Compacting moves the open chunk with the unsent output. The chunk stays
    // where it is while it can grow to chunk_size() there, with room for the
    // next chunk's line and windows of at least an eighth of a chunk; else it
    // moves now, while it is smallest (it only grows until it closes).
    if (!chunk_open_) return false;
    const std::uint32_t size = chunk_size();
    return std::uint64_t(send_tail_) + 3 * kLine + 8 + size + size / 4 <= send_cap_;
}

MutableBytes Client::chunk_window() noexcept {
    const bool in_place = chunk_completes_in_place();
    if (!in_place && !(chunk_open_ && send_head_ < send_tail_)) compact_send_buffer();
    if (flowing_failed()) {
        // RFC 3030 §2: after a refused BDAT (or MAIL, or every RCPT) no more
        // chunks go out; the rest of the body is taken and dropped until
        // body_end(), and the outcome follows the last outstanding reply.
        chunk_open_ = false;
        body_window_ = send_cap_ - send_tail_;
        return MutableBytes(send_ + send_tail_, body_window_);
    }
    // Without PIPELINING each BDAT waits for its reply (RFC 3030 §4.2); with
    // it, a piece may close a chunk, and that needs a record in the queue.
    if (!caps_.has(Extension::Pipelining) && commands_.length > 0) return {};
    if (commands_.full(config_.limits.commands_in_flight)) return {};
    // An open chunk that must move waits until the output in front of it is
    // written: then it moves once (it only grows until it closes).
    if (!in_place && chunk_open_ && send_head_ < send_tail_) return {};
    if (!chunk_open_) {
        if (send_cap_ - send_tail_ < 2 * kLine + 8) return {};
        chunk_open_ = true;
        chunk_length_ = 0;
    }
    // The window sits at the top of the free space, like DATA's (the filter
    // at most doubles its input and never overtakes it), less room for
    // moving a remainder behind the next chunk's line and for a final CRLF.
    const std::uint32_t content_end = send_tail_ + kLine + chunk_length_;
    const std::uint32_t free = send_cap_ - content_end;
    if (free < 2 * kLine + 8) return {};
    std::uint32_t window = (free - 2 - 2 * kLine) / 2;
    const std::uint32_t limit = (chunk_size() - 1) / 2;  // one piece closes at most one chunk
    if (window > limit) window = limit;
    body_window_ = window;
    return MutableBytes(send_ + send_cap_ - window, window);
}

bool Client::write_chunk(const char* in, std::size_t n) noexcept {
    if (flowing_failed()) return true;  // dropped, see chunk_window()
    char* out = send_ + send_tail_ + kLine + chunk_length_;
    std::size_t size = n;
    if (flowing_envelope().body == BodyType::BinaryMime) {
        std::memmove(out, in, n);  // verbatim (RFC 3030 §3)
    } else {
        size = parsers_.stuffer.stuff(in, n, out);
        if (parsers_.stuffer.line_too_long()) {
            fail(ErrorKind::InvalidInput, SMTPCORE_REASON("body line longer than 998 octets (RFC 5321 §4.5.3.1.6)"), false);
            return false;
        }
    }
    const std::uint32_t total = chunk_length_ + static_cast<std::uint32_t>(size);
    const std::uint32_t full = chunk_size();
    if (total < full) {
        chunk_length_ = static_cast<std::uint16_t>(total);
        return true;
    }
    // The chunk is full: fix its size, and the rest opens the next chunk.
    const std::uint32_t rest = total - full;
    const std::uint32_t rest_at = send_tail_ + kLine + full;
    close_chunk(full, false);
    std::memmove(send_ + send_tail_ + kLine, send_ + rest_at, rest);
    chunk_open_ = true;
    chunk_length_ = static_cast<std::uint16_t>(rest);
    return true;
}

void Client::close_chunk(std::uint32_t size, bool last) noexcept {
    // RFC 3030 §2: the line carries the chunk's exact size, known only now.
    // It is written right-aligned into the kLine octets reserved in front of
    // the content, and the slack before it (kLine - header octets) closes by
    // moving the shorter side: the output not yet handed out up by the slack
    // (with the octet line_begun() reads), or else the chunk down. Octets
    // send_buf() has offered never move here: the host may still be writing them.
    // Its length decides where it goes: counted, then the line built once.
    const std::uint32_t header = static_cast<std::uint32_t>(detail::bdat_line_size(size, last));
    const std::uint32_t slack = kLine - header;
    const std::uint32_t from = send_head_ > 0 ? send_head_ - 1 : 0;
    if (handed_out_ == send_head_ && send_tail_ - from <= size) {
        std::memmove(send_ + from + slack, send_ + from, send_tail_ - from);
        if (send_head_ == 0) send_[slack - 1] = '\n';  // nothing before: no line begun
        send_head_ += slack;
        handed_out_ += slack;
        send_tail_ += slack;
    } else {
        std::memmove(send_ + send_tail_ + header, send_ + send_tail_ + kLine, size);
    }
    detail::bdat_command(size, last, send_ + send_tail_);
    commit(header + size);
    push_command(last ? detail::CommandKind::BdatLast : detail::CommandKind::Bdat, flowing_number());
    chunk_open_ = false;
}

void Client::write_last_chunk() noexcept {
    if (flowing_failed()) return;  // no BDAT after a failure: settle_failed_chunks() ends it
    if (!caps_.has(Extension::Pipelining) && commands_.length > 0) return;  // wait for the last BDAT's reply
    if (commands_.full(config_.limits.commands_in_flight)) return;
    if (!chunk_open_) {  // nothing since the last full chunk: "BDAT 0 LAST"
        compact_send_buffer();
        if (send_cap_ - send_tail_ < kLine + 2) return;
        chunk_open_ = true;
        chunk_length_ = 0;
    }
    // An unterminated last line is ended, as DATA's finish() does; BINARYMIME
    // content is the application's, octet for octet.
    if (flowing_envelope().body != BodyType::BinaryMime)
        chunk_length_ = static_cast<std::uint16_t>(
            chunk_length_ + parsers_.stuffer.end_line(send_ + send_tail_ + kLine + chunk_length_));
    close_chunk(chunk_length_, true);
    if (detail::MessageBehind* b = flowing_behind()) {  // the oldest stays in DataEnd
        b->marker_written = true;
        return;
    }
    message_.marker_written = true;
    enter(SessionState::DataEnd);
}

void Client::settle_failed_chunks() noexcept {
    // A transaction that failed during its BDAT body ends once the body has
    // ended and every line written for it is answered: RSET (Body -> Rset) if
    // MAIL was accepted, else its outcome at once.
    detail::MessageRecord& m = message_;
    if (state_ != SessionState::Body || !m.failed || !chunked()) return;
    // RFC 3030 §2: no BDAT once the failure is known, not even a chunk written
    // but not yet handed out. In Body only chunks are written (the envelope
    // lines were handed out before any reply could fail the message), so what
    // lies past the hand-out point is chunks and the chunk being filled.
    if (commands_.length > commands_.handed) {
        send_tail_ = handed_out_;
        commands_.drop_unhanded();
        chunk_open_ = false;
    }
    if (m.body_ended && commands_.length == 0) finish_failed_transaction();
}

void Client::on_chunk_reply() noexcept {
    // RFC 3030 §2: a 4xx/5xx to any BDAT fails the transaction; no further
    // chunk may be sent, and the server discards those already pipelined.
    const std::uint16_t code = parsers_.reply.code();
    if (code >= 200 && code < 300) return;
    if (code < 400) return fail(ErrorKind::PeerViolation, SMTPCORE_REASON("BDAT answered with neither 2xx nor an error"), false);
    if (!message_.failed) fail_transaction(nullptr, is_transient_failure(code));
}

bool Client::next_message_pipelined() const noexcept {
    return behind_len_ > 0 || (ahead_.open && ahead_.lines_written > 0);
}

void Client::on_last_chunk_reply() noexcept {
    // The reply to BDAT LAST ends the transaction. Refused, or after an
    // earlier failure (a refused BDAT, MAIL or every RCPT), the message fails
    // with the first failure. The server has discarded the content (RFC 3030
    // §2); RSET clears what is left of the envelope, unless the next message's
    // MAIL is already in flight behind this BDAT LAST: it opened the next
    // transaction, which an RSET would now clear (docs/state-machine.md).
    const std::uint16_t code = parsers_.reply.code();
    detail::MessageRecord& m = message_;
    if (code >= 400 || (m.failed && code < 300)) {
        if (!m.failed) fail_transaction(nullptr, is_transient_failure(code));
        if (m.mail_accepted && !next_message_pipelined()) return send_lockstep(detail::PendingLine::Rset, SessionState::Rset);
    }
    on_data_end_reply();
}

}  // namespace smtpcore

#endif  // SMTPCORE_NO_CHUNKING
