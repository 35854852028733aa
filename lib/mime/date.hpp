// The Date field (RFC 5322 §3.3).
#pragma once

#include "smtpcore/mime/message.hpp"
#include "sink.hpp"

namespace smtpcore::mime::detail {

/// nullptr when every field of `d` is in range, else the reason.
const char* check_date(const DateTime& d) noexcept;
/// Writes " Tue, 05 Mar 2024 14:03:09 +0100" (the value after "Date:").
void put_date(Sink& sink, const DateTime& d) noexcept;

}  // namespace smtpcore::mime::detail
