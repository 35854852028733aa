// smtpcore — which symbols the shared libraries export.
//
// The libraries are built with hidden symbol visibility (-fvisibility=hidden),
// so only what the public headers declare is part of the ABI: every header in
// include/smtpcore wraps its declarations in SMTPCORE_BEGIN_PUBLIC /
// SMTPCORE_END_PUBLIC (after its own #includes), and a single declaration
// elsewhere can be marked SMTPCORE_API. Helpers in lib/ stay hidden, so they
// can change without breaking programs linked to libsmtpcore.so.
// tests/consumers/check_exports.py holds both rules.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define SMTPCORE_API __attribute__((visibility("default")))
#define SMTPCORE_BEGIN_PUBLIC _Pragma("GCC visibility push(default)")
#define SMTPCORE_END_PUBLIC _Pragma("GCC visibility pop")
#else
// Other compilers export everything (no visibility control): nothing to mark.
#define SMTPCORE_API
#define SMTPCORE_BEGIN_PUBLIC
#define SMTPCORE_END_PUBLIC
#endif
