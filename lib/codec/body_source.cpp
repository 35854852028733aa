#include "smtpcore/body_source.hpp"

#include <cstring>

namespace smtpcore {

ReadResult BufferSource::read(MutableBytes out) noexcept {
    const std::size_t left = data_.size() - offset_;
    const std::size_t n = left < out.size() ? left : out.size();
    if (n > 0) std::memcpy(out.data(), data_.data() + offset_, n);
    offset_ += n;
    return ReadResult{n, offset_ == data_.size() ? ReadStatus::End : ReadStatus::Data};
}

}  // namespace smtpcore
