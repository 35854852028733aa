// smtpcore — the library version, at compile time and at run time.
//
// The macros say which headers a program was compiled against; version()
// says which library it runs with (a shared libsmtpcore may be newer). The
// project version in meson.build must equal SMTPCORE_VERSION_STRING: the
// build refuses to configure otherwise.
#pragma once

#include "smtpcore/export.hpp"

#define SMTPCORE_VERSION_MAJOR 0
#define SMTPCORE_VERSION_MINOR 1
#define SMTPCORE_VERSION_PATCH 0
#define SMTPCORE_VERSION_STRING "0.1.0"
/// MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons.
#define SMTPCORE_VERSION_NUMBER \
    (SMTPCORE_VERSION_MAJOR * 10000 + SMTPCORE_VERSION_MINOR * 100 + SMTPCORE_VERSION_PATCH)

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

struct Version {
    int major;
    int minor;
    int patch;
};

/// The version of the library the program runs with.
Version version() noexcept;
/// The same as a static string, e.g. "0.1.0".
const char* version_string() noexcept;

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
