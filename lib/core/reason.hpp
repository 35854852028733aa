// Reason texts for errors and local events. Internal.
//
// Every reason is a static string. Firmware that cannot spare the ~2 KiB of
// flash they take builds with -DSMTPCORE_NO_REASONS: the texts become empty,
// while the error kind, the phase and every reply's own text remain.
#pragma once

#ifdef SMTPCORE_NO_REASONS
#define SMTPCORE_REASON(text) ""
#else
#define SMTPCORE_REASON(text) text
#endif

#include <cstddef>
#include <cstring>

namespace smtpcore::detail {
// The length of a reason or of a local event's text. Without reasons every
// such text is "" (the Ready event's "ready" too): the length is 0 at
// compile time and the build links no strlen() for it (docs/footprint.md).
#ifdef SMTPCORE_NO_REASONS
constexpr std::size_t reason_length(const char*) noexcept { return 0; }
#else
inline std::size_t reason_length(const char* text) noexcept { return std::strlen(text); }
#endif
}  // namespace smtpcore::detail
