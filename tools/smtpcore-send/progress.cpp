#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace smtpcore::cli {

void ProgressBar::start(std::uint64_t expected) {
    active_ = expected > kThreshold && isatty(STDERR_FILENO) == 1;
    expected_ = expected;
    last_percent_ = -1;
}

void ProgressBar::update(std::uint64_t sent) {
    if (!active_) return;
    // The expected size is an estimate (encoding overhead): never show over 99% before the end.
    const int percent = static_cast<int>(std::min<std::uint64_t>(99, sent * 100 / expected_));
    if (percent == last_percent_) return;
    last_percent_ = percent;
    const int width = 40, filled = percent * width / 100;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%% %.1f MiB", filled, "########################################",
                 width - filled, "", percent, static_cast<double>(sent) / (1024.0 * 1024.0));
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (!active_) return;
    std::fprintf(stderr, "\r[########################################] 100%%\n");
    active_ = false;
}

}  // namespace smtpcore::cli
