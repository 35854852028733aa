#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace smtpcore::cli {
namespace {
constexpr int kWidth = 40;
constexpr char kBar[] = "########################################";
}  // namespace

void ProgressBar::start(std::uint64_t total) {
    active_ = !verbose_ && total > kThreshold && isatty(STDERR_FILENO) == 1;
    total_ = total;
    last_percent_ = -1;
}

void ProgressBar::update(std::uint64_t done) {
    if (!active_) return;
    // Everything read is not yet everything accepted: 100% waits for the server.
    const int percent = static_cast<int>(std::min<std::uint64_t>(99, done * 100 / total_));
    if (percent == last_percent_) return;
    last_percent_ = percent;
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%% %.1f of %.1f MiB", filled, kBar, kWidth - filled, "", percent,
                 static_cast<double>(done) / (1024.0 * 1024.0), static_cast<double>(total_) / (1024.0 * 1024.0));
    std::fflush(stderr);
}

void ProgressBar::finish(bool accepted) {
    if (!active_) return;
    if (accepted) std::fprintf(stderr, "\r[%s] 100%%\n", kBar);
    else std::fprintf(stderr, " not accepted\n");
    active_ = false;
}

}  // namespace smtpcore::cli
