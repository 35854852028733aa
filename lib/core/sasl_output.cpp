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
    // finish() writes the last group only when octets are pending: it needs
    // exactly the room that is left of needed(), not four spare characters.
    if (fits_ && capacity_ - written_ >= needed() - written_) written_ += encoder_.finish(out_ + written_);
    else fits_ = false;
    return written_;
}

}  // namespace smtpcore::detail
