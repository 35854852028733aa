// Invariant checks for fuzz targets: a violated invariant is a finding, so it
// must crash the process (libFuzzer then saves the input). Prints what broke
// first, because the stack trace alone rarely says which invariant it was.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, what)                                                          \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            std::fprintf(stderr, "invariant violated: %s\n  check: %s\n  at %s:%d\n",   \
                         (what), #cond, __FILE__, __LINE__);                            \
            std::abort();                                                               \
        }                                                                               \
    } while (0)
