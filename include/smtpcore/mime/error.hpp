// smtpcore::mime — why a message was refused or a write failed.
#pragma once

#include <cstddef>
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::mime {

/// A refusal names the field and says why, with static strings only (no heap).
/// `index` says which element of a list (to[index], attachments[index], …) or
/// which leaf part (in writing order) failed; 0 for single fields.
struct MimeError {
    const char* field = nullptr;   ///< e.g. "to", "subject", "attachment filename"; nullptr = no error
    const char* reason = nullptr;  ///< e.g. "contains CR, LF or NUL"
    std::size_t index = 0;

    constexpr bool ok() const noexcept { return field == nullptr; }
    constexpr explicit operator bool() const noexcept { return field != nullptr; }
};

}  // namespace smtpcore::mime
SMTPCORE_END_PUBLIC
