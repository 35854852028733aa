// smtpcore-send --count: record the first copy, replay it with a fresh
// Message-ID (copy_replay.hpp).
#include "copy_replay.hpp"

#include <cstring>

namespace smtpcore::cli {

namespace {

// Lower-case hex of `n` octets into out[0..2n), as the MIME writer renders a
// Message-ID's left part (lib/mime/render.cpp).
// One table look-up per octet: this runs for every --count copy.
struct HexPairs {
    char pair[256][2];
    constexpr HexPairs() : pair() {
        constexpr char kHex[] = "0123456789abcdef";
        for (int i = 0; i < 256; ++i) {
            pair[i][0] = kHex[i >> 4];
            pair[i][1] = kHex[i & 15];
        }
    }
};
constexpr HexPairs kHexPairs;

void put_hex(const unsigned char* p, std::size_t n, char* out) {
    for (std::size_t i = 0; i < n; ++i) std::memcpy(out + 2 * i, kHexPairs.pair[p[i]], 2);
}

}  // namespace

BodySource CopyReplay::recording(BodySource writer, std::uint64_t expected_size) {
    if (expected_size > kMaxRecorded) too_large_ = true;
    if (too_large_) return writer;
    writer_ = writer;
    octets_.clear();
    recording_ = true;
    complete_ = false;
    id_at_ = std::string::npos;
    return BodySource{&CopyReplay::record_thunk, this};
}

ReadResult CopyReplay::record_thunk(void* self, MutableBytes out) noexcept {
    return static_cast<CopyReplay*>(self)->record(out);
}

ReadResult CopyReplay::record(MutableBytes out) noexcept {
    const ReadResult r = writer_(out);
    if (!recording_ || r.status == ReadStatus::Pending) return r;
    if (r.status == ReadStatus::Failed || octets_.size() + r.size > kMaxRecorded) {
        too_large_ = too_large_ || r.status != ReadStatus::Failed;
        recording_ = false;  // too large (or failed): compose every copy
        octets_.clear();
        octets_.shrink_to_fit();
        return r;
    }
    try {
        octets_.append(out.data(), r.size);
    } catch (...) {  // no memory for the recording: compose every copy, as before
        too_large_ = true;
        recording_ = false;
        octets_.clear();
        return r;
    }
    if (r.status == ReadStatus::End) {
        recording_ = false;
        complete_ = true;
    }
    return r;
}

bool CopyReplay::replay(const unsigned char* old_random, const unsigned char* new_random, std::size_t n) {
    if (!complete_) return false;
    if (n > 0) {
        if (id_at_ == std::string::npos) {
            // RFC 5322 §3.6.4 as the writer renders it: "Message-ID: <" hex "@",
            // in the header (before the first empty line).
            static constexpr char kPrefix[] = "\r\nMessage-ID: <";
            constexpr std::size_t kPrefixLen = sizeof kPrefix - 1;
            std::string field = kPrefix + std::string(2 * n, '0') + "@";
            put_hex(old_random, n, &field[kPrefixLen]);
            const std::size_t header_end = octets_.find("\r\n\r\n");
            const std::size_t at = octets_.find(field);
            if (at == std::string::npos || header_end == std::string::npos || at > header_end) return false;
            id_at_ = at + kPrefixLen;
        }
        put_hex(new_random, n, &octets_[id_at_]);
    }
    buffer_ = BufferSource(Bytes(octets_.data(), octets_.size()));
    return true;
}

void CopyReplay::reset() {
    recording_ = false;
    complete_ = false;
    octets_.clear();
    id_at_ = std::string::npos;
}

}  // namespace smtpcore::cli
