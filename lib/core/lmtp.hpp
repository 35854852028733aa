// LMTP (RFC 2033): the configuration check. Internal; the rest is in lmtp.cpp.
#pragma once

#include "smtpcore/config.hpp"

namespace smtpcore::detail {

#ifndef SMTPCORE_NO_LMTP
/// At construction: what LMTP cannot be combined with (BDAT forced), or nullptr.
const char* check_lmtp_config(const Config& config) noexcept;
#endif

}  // namespace smtpcore::detail
