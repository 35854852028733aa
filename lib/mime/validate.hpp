// Checks a whole Message before a single octet is written.
#pragma once

#include "smtpcore/mime/error.hpp"
#include "smtpcore/mime/message.hpp"

namespace smtpcore::mime::detail {

/// The first problem found, naming the field (and list index), or ok().
MimeError validate(const Message& m) noexcept;

}  // namespace smtpcore::mime::detail
