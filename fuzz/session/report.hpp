// Ends a fuzz run on a broken invariant, printing it and the session so far.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "checked_session.hpp"

namespace smtpcore::fuzz {

inline void print_session(const test::CheckedSession& s) {
    std::fprintf(stderr, "--- events ---\n");
    for (const auto& e : s.events()) std::fprintf(stderr, "%s\n", e.c_str());
    std::fprintf(stderr, "--- wire (%zu bytes) ---\n%.*s\n", s.wire().size(),
                 static_cast<int>(s.wire().size() < 4000 ? s.wire().size() : 4000), s.wire().c_str());
}

inline void stop_if_violated(const test::CheckedSession& s) {
    if (s.ok()) return;
    std::fprintf(stderr, "invariant violated: %s\n", s.violation().c_str());
    print_session(s);
    std::abort();
}

/// With SMTPCORE_FUZZ_VERBOSE set, prints every session (to see what an input does).
inline void print_if_verbose(const test::CheckedSession& s) {
    if (std::getenv("SMTPCORE_FUZZ_VERBOSE") != nullptr) print_session(s);
}

}  // namespace smtpcore::fuzz
