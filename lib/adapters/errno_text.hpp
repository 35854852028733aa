// strerror(3) returns a buffer the next call (from any thread) may overwrite:
// the adapters keep copies of the text, made with strerror_r.
#pragma once

#include <cstddef>
#include <string>

namespace smtpcore::adapters {

/// The text of errno value `error`, copied.
std::string errno_text(int error);
/// The same into a caller's buffer (always NUL-terminated), for noexcept paths.
void copy_errno_text(int error, char* out, std::size_t size) noexcept;

}  // namespace smtpcore::adapters
