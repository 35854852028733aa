// What the host knows and the core must not read: the clock and a source of
// randomness. The adapters pass them in (the core takes time as an input).
#pragma once

#include <cstddef>

#include "smtpcore/mime/message.hpp"

namespace smtpcore::adapters {

/// Now, in local time with its UTC offset (RFC 5322 §3.3 date-time).
mime::DateTime local_now();
/// Fills `out` with unpredictable octets (std::random_device: getrandom(2) on Linux).
void random_octets(unsigned char* out, std::size_t size);

}  // namespace smtpcore::adapters
