#include "sasl_output.hpp"

namespace smtpcore::detail {

void SaslOutput::put(const void* data, std::size_t n) noexcept {
    raw_ += n;
    if (!fits_) return;
    if (encoder_.max_output(n) > capacity_ - written_) {
        fits_ = false;
        return;
    }
    written_ += encoder_.update(data, n, out_ + written_);
}

std::size_t SaslOutput::finish() noexcept {
    if (fits_ && capacity_ - written_ >= 4) written_ += encoder_.finish(out_ + written_);
    else fits_ = false;
    return written_;
}

}  // namespace smtpcore::detail
