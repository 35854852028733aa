// smtpcore — PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2). No heap.
//
// SCRAM-SHA-256 calls it Hi(password, salt, i) (RFC 5802 §2.2, RFC 7677): one
// 32-octet block. Each iteration costs two SHA-256 compressions; the server
// chooses the count, so callers bound it (docs/footprint.md gives the cost).
#pragma once

#include <cstddef>
#include <cstdint>

namespace smtpcore::codec {

/// Derives `out_size` octets from `password` and `salt` with `iterations`
/// rounds (at least 1; 0 is treated as 1). Any out_size works; SCRAM uses 32.
void pbkdf2_hmac_sha256(const void* password, std::size_t password_size, const void* salt,
                        std::size_t salt_size, std::uint32_t iterations, std::uint8_t* out,
                        std::size_t out_size) noexcept;

}  // namespace smtpcore::codec
