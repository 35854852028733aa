// smtpcore-send: a progress bar on stderr for large messages (terminals only).
//
// It counts source octets (the files as read) against their known total, so
// the percentage does not depend on the encoding; it is not drawn when the
// total is unknown (a pipe); it steps aside (its line erased) whenever the -v
// transcript prints and is drawn again on the next update; 100% is drawn only
// when the server accepted the message.
#pragma once

#include <cstdint>
#include <cstdio>

namespace smtpcore::cli {

class ProgressBar {
public:
    static constexpr std::uint64_t kThreshold = 1024 * 1024;  // messages over 1 MiB

    /// Shown only when stderr is a terminal and `total` is over the threshold.
    void start(std::uint64_t total);
    void update(std::uint64_t done);
    /// Erases the bar's line so that other output starts at column 0.
    void pause();
    /// Ends the bar's line: 100% if `accepted`, else the last percentage and "not accepted".
    void finish(bool accepted);

private:
    bool active_ = false;
    bool drawn_ = false;
    std::uint64_t total_ = 0;
    int last_percent_ = -1;
};

}  // namespace smtpcore::cli
