// smtpcore-send --count: the first copy's rendered octets, kept so that the
// copies after it are sent from memory rather than composed again.
//
// Composing a small message costs far more than sending it: every header is
// rendered and checked, every file is re-read and its lines checked, for each
// copy. None of that changes between copies except the Message-ID, which
// must be unique per message (RFC 5322 §3.6.4): so the first copy is recorded
// as the writer produces it (when it is at most kMaxRecorded octets), and
// each later copy is those octets with a fresh Message-ID written over the
// old one, same length (hex of the same number of random octets). A message
// too large to record is composed again for every copy, as before.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "smtpcore/body_source.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::cli {

class CopyReplay {
public:
    /// Messages up to this size are recorded (256 KiB: above it the
    /// composition is dominated by the bytes, not by the headers).
    static constexpr std::size_t kMaxRecorded = 256 * 1024;

    /// A source that reads from `writer` and records what it produces; just
    /// `writer` once a copy was too large to record, or when the message's
    /// upper bound `expected_size` (0: unknown) is already above kMaxRecorded.
    BodySource recording(BodySource writer, std::uint64_t expected_size);
    /// Whether a whole copy was recorded.
    bool complete() const { return complete_; }
    /// Starts a replay of the recorded copy with a fresh Message-ID: the hex
    /// of `old_random` (n octets, as the recorded copy's Message-ID shows
    /// them) becomes the hex of `new_random`; n == 0: the copy as it is (a
    /// Message-ID the user gave). False, and no replay, when nothing whole was
    /// recorded or the recorded header has no such Message-ID.
    bool replay(const unsigned char* old_random, const unsigned char* new_random, std::size_t n);
    /// The source of the replayed copy.
    BodySource source() { return buffer_.source(); }
    /// Drops the recording (the next copy is composed and recorded again).
    void reset();

private:
    static ReadResult record_thunk(void* self, MutableBytes out) noexcept;
    ReadResult record(MutableBytes out) noexcept;

    BodySource writer_;
    std::string octets_;
    bool recording_ = false;
    bool complete_ = false;
    bool too_large_ = false;  // a copy did not fit: the next ones will not either
    std::size_t id_at_ = std::string::npos;  // where the Message-ID's random part starts in octets_
    BufferSource buffer_{Bytes()};
};

}  // namespace smtpcore::cli
