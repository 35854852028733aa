#include "errno_text.hpp"

#include <algorithm>
#include <cstring>

namespace smtpcore::adapters {
namespace {
// strerror_r comes in two shapes: XSI returns 0 and fills the buffer, GNU
// returns a pointer (to the buffer or to a static string). Both are handled.
[[maybe_unused]] const char* pick(int rc, const char* buf) { return rc == 0 ? buf : "unknown error"; }
[[maybe_unused]] const char* pick(const char* text, const char*) { return text; }
}  // namespace

void copy_errno_text(int error, char* out, std::size_t size) noexcept {
    if (size == 0) return;
    char buf[256] = "";
#ifdef _WIN32
    const char* text = pick(strerror_s(buf, sizeof buf, error), buf);  // the C runtime's strerror_r
#else
    const char* text = pick(strerror_r(error, buf, sizeof buf), buf);
#endif
    const std::size_t n = std::min(std::strlen(text), size - 1);
    std::memcpy(out, text, n);
    out[n] = '\0';
}

std::string errno_text(int error) {
    char buf[256];
    copy_errno_text(error, buf, sizeof buf);
    return buf;
}

}  // namespace smtpcore::adapters
