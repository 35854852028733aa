// 7bit and 8bit bodies are sent as they are, so the writer must check what
// those labels promise (RFC 2045 §2.7, §2.8): lines of at most 998 octets
// separated by CRLF, no NUL, and for 7bit no octet above 127. Line breaks are
// canonicalised to CRLF (RFC 2049 §4 step 2) since text may arrive with LF.
// A line starting "--=_" could be taken for one of our boundaries, so it is
// refused too (QP and base64 output can never contain "=_").
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::mime::detail {
namespace {
constexpr std::size_t kMaxLine = 998;  // RFC 5322 §2.1.1
constexpr char kBoundaryStart[] = "--=_";
}  // namespace

void LineChecker::reset(bool eight_bit) noexcept {
    *this = LineChecker{};
    eight_bit_ = eight_bit;
}

long LineChecker::update(const char* in, std::size_t n, char* out) noexcept {
    char* o = out;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = in[i];
        if (c == '\n' && after_cr_) {  // second half of a CRLF already written
            after_cr_ = false;
            continue;
        }
        after_cr_ = (c == '\r');
        if (c == '\r' || c == '\n') {
            o[0] = '\r';
            o[1] = '\n';
            o += 2;
            line_ = 0;
            prefix_ = 0;
            continue;
        }
        if (c == '\0') {
            reason_ = "NUL in a 7bit/8bit part";
            return -1;
        }
        if (!eight_bit_ && static_cast<unsigned char>(c) >= 0x80) {
            reason_ = "octet above 127 in a 7bit part";
            return -1;
        }
        if (++line_ > kMaxLine) {
            reason_ = "line longer than 998 octets in a 7bit/8bit part";
            return -1;
        }
        if (prefix_ >= 0 && prefix_ < 4) {
            prefix_ = (c == kBoundaryStart[prefix_]) ? static_cast<std::int8_t>(prefix_ + 1) : std::int8_t(-1);
            if (prefix_ == 4) {
                reason_ = "line starting \"--=_\" in a 7bit/8bit part (boundary prefix)";
                return -1;
            }
        }
        *o++ = c;
    }
    return static_cast<long>(o - out);
}

}  // namespace smtpcore::mime::detail
