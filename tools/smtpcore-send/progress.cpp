#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace smtpcore::cli {
namespace {
constexpr int kWidth = 40;
constexpr char kBar[] = "########################################";

void draw(int percent, const char* tail) {
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%%s", filled, kBar, kWidth - filled, "", percent, tail);
}
}  // namespace

void ProgressBar::start(std::uint64_t total) {
    active_ = total > kThreshold && isatty(STDERR_FILENO) == 1;
    drawn_ = false;
    total_ = total;
    last_percent_ = -1;
}

void ProgressBar::update(std::uint64_t done) {
    if (!active_) return;
    // Everything read is not yet everything accepted: 100% waits for the server.
    const int percent = static_cast<int>(std::min<std::uint64_t>(99, done * 100 / total_));
    if (percent == last_percent_ && drawn_) return;
    last_percent_ = percent;
    drawn_ = true;
    draw(percent, "");
    std::fprintf(stderr, " %.1f of %.1f MiB", static_cast<double>(done) / (1024.0 * 1024.0),
                 static_cast<double>(total_) / (1024.0 * 1024.0));
    std::fflush(stderr);
}

void ProgressBar::pause() {
    if (!active_ || !drawn_) return;
    std::fputs("\r\033[K", stderr);  // carriage return, erase to the end of the line
    drawn_ = false;
}

void ProgressBar::finish(bool accepted) {
    if (!active_) return;
    pause();
    draw(accepted ? 100 : std::max(0, last_percent_), accepted ? "\n" : " not accepted\n");
    active_ = false;
}

}  // namespace smtpcore::cli
