// run_blocking() with the wait function as a parameter, so tests can make
// poll(2) fail the way it can (ENOMEM, EINVAL) without exhausting the system.
#pragma once

#ifdef _WIN32
#include <winsock2.h>  // WSAPoll and its pollfd
using nfds_t = unsigned long;
#else
#include <poll.h>
#endif

#include "smtpcore/adapters/driver.hpp"

namespace smtpcore::adapters::detail {

using PollFunction = int (*)(pollfd*, nfds_t, int);
void run_blocking_with(Driver& driver, PollFunction wait);

}  // namespace smtpcore::adapters::detail
