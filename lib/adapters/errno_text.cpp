#include "errno_text.hpp"

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
    const char* text = pick(strerror_r(error, buf, sizeof buf), buf);
    std::strncpy(out, text, size - 1);
    out[size - 1] = '\0';
}

std::string errno_text(int error) {
    char buf[256];
    copy_errno_text(error, buf, sizeof buf);
    return buf;
}

}  // namespace smtpcore::adapters
