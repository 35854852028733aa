// The two hosts of the whole-session fuzz target (fuzz_session.cpp).
//
// Input format (docs/fuzzing.md):
//  - An input whose first byte is an ASCII digit is a raw transcript: the
//    bytes a real server sent (as recorded from interop runs), replayed by a
//    well-behaved host and application (run_raw_transcript).
//  - Any other first byte selects the fuzzed host: the rest is decoded with
//    FuzzedDataProvider into a configuration and a sequence of host and
//    application actions (run_fuzzed_host). A first byte "+" adds hostile
//    DSN (RFC 3461) and REQUIRETLS requests to the submissions (a separate
//    prefix, so the older seeds keep their meaning).
// Both drive a test::CheckedSession and abort() on the first broken invariant.
#pragma once

#include <cstddef>
#include <cstdint>

namespace smtpcore::fuzz {

void run_raw_transcript(const std::uint8_t* data, std::size_t size);
void run_fuzzed_host(const std::uint8_t* data, std::size_t size, bool envelope_extensions = false);

}  // namespace smtpcore::fuzz
