// The local time and its offset from UTC, on POSIX and on Windows.
#pragma once

#include <ctime>

namespace smtpcore::cli {

/// localtime_r(3) of `t`; returns the offset from UTC in seconds.
inline long local_time(std::time_t t, std::tm& local) {
#ifdef _WIN32
    // No tm_gmtoff: the local time read as if it were UTC, minus t.
    localtime_s(&local, &t);
    std::tm copy = local;
    return static_cast<long>(_mkgmtime(&copy) - t);
#else
    localtime_r(&t, &local);
    return local.tm_gmtoff;
#endif
}

}  // namespace smtpcore::cli
