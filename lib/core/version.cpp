// The run-time half of include/smtpcore/version.hpp: compiled into the
// library, so it reports the library's version, not the caller's headers'.
#include "smtpcore/version.hpp"

namespace smtpcore {

Version version() noexcept {
    return Version{SMTPCORE_VERSION_MAJOR, SMTPCORE_VERSION_MINOR, SMTPCORE_VERSION_PATCH};
}

const char* version_string() noexcept { return SMTPCORE_VERSION_STRING; }

}  // namespace smtpcore
