// LMTP (RFC 2033): its state in the caller's storage and the configuration
// check. Internal; the rest is in lmtp.cpp.
#pragma once

#include <cstdint>
#include <string_view>

#include "smtpcore/config.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::detail {

#ifndef SMTPCORE_NO_LMTP
/// What LMTP adds to the message in flight, at the end of the storage
/// (Client::kLmtpStorage, counted in min_storage() under LMTP only), so the
/// Client itself does not grow.
struct LmtpArea {
    /// The recipients a queued RecipientOutcome names: kept apart from the
    /// message record, which a message submitted ahead replaces right after
    /// the last reply's outcome is queued, before the events are pulled.
    Span<const std::string_view> recipients;
    std::uint8_t accepted[8] = {};   // bit i: recipient i accepted at RCPT (at most 64 under LMTP)
    std::uint8_t replies = 0;        // replies after the end of data so far
    std::uint8_t delivered = 0;      // ... of them 2xx
    bool any_temporary = false;      // ... some 4xx
};

/// At construction: what LMTP cannot be combined with (BDAT forced), or nullptr.
const char* check_lmtp_config(const Config& config) noexcept;
#endif

}  // namespace smtpcore::detail
