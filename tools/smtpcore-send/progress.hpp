// smtpcore-send: a progress bar on stderr for large bodies (terminals only).
#pragma once

#include <cstdint>
#include <cstdio>

namespace smtpcore::cli {

class ProgressBar {
public:
    static constexpr std::uint64_t kThreshold = 1024 * 1024;  // bodies over 1 MiB

    /// Shown only when stderr is a terminal and `expected` is over the threshold.
    void start(std::uint64_t expected);
    void update(std::uint64_t sent);
    void finish();

private:
    bool active_ = false;
    std::uint64_t expected_ = 0;
    int last_percent_ = -1;
};

}  // namespace smtpcore::cli
