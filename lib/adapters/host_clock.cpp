#include "smtpcore/adapters/host_clock.hpp"

#include <cstdint>
#include <ctime>
#include <cstring>
#include <random>

namespace smtpcore::adapters {

mime::DateTime local_now() {
    const std::time_t t = std::time(nullptr);
    std::tm local{};
#ifdef _WIN32
    // No tm_gmtoff: the offset is the local time read as if it were UTC, minus now.
    localtime_s(&local, &t);
    const long offset = static_cast<long>(_mkgmtime(&local) - t);
#else
    localtime_r(&t, &local);
    const long offset = local.tm_gmtoff;
#endif
    return mime::date_from_unix(static_cast<std::int64_t>(t), static_cast<int>(offset / 60));
}

void random_octets(unsigned char* out, std::size_t size) {
    // One device per thread, opened once, and all four octets of each draw
    // used: a Message-ID per copy of `smtpcore-send --count` otherwise paid
    // for a device and sixteen draws every message.
    thread_local std::random_device random;
    std::size_t i = 0;
    for (; i + 4 <= size; i += 4) {
        const std::uint32_t word = random();
        std::memcpy(out + i, &word, 4);
    }
    if (i < size) {
        const std::uint32_t word = random();
        for (std::size_t k = 0; i + k < size; ++k) out[i + k] = static_cast<unsigned char>(word >> (8 * k));
    }
}

}  // namespace smtpcore::adapters
