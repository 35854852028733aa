// Fuzz target: a whole session against a server whose every byte is fuzzed,
// with fuzzed splits, output acknowledgements, clock steps and application
// commands. The checks are the invariants of docs/contributing.md, held by
// tests/support/checked_session.hpp; the input format is in session/hosts.hpp.
#include <cstddef>
#include <cstdint>

#include "session/hosts.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    if (data[0] >= '0' && data[0] <= '9') {
        smtpcore::fuzz::run_raw_transcript(data, size);
    } else {
        smtpcore::fuzz::run_fuzzed_host(data + 1, size - 1, data[0] == '+');
    }
    return 0;
}
