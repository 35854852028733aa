// Fuzz target: DATA transparency (RFC 5321 §4.5.2), the way the Client uses
// it — in place, the input window in the upper half of the free space.
//
// Input: [piece seed] then the message body. Checks:
//  - the output has no bare CR and no bare LF, and no line "." before the
//    end-of-data marker that finish() adds (no end of data inside the body);
//  - un-stuffing gives the input with CR, LF and CRLF all made CRLF;
//  - the output does not depend on how the body was cut into pieces;
//  - a line over 998 octets stops the stuffer, and it then writes nothing more;
//  - on x86, every copy kernel (Portable, SSE2, AVX2) writes the same bytes,
//    for DATA and for BDAT content (no dot doubling).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "check.hpp"
#include "dot_reference.hpp"
#include "fuzzed_data_provider.hpp"
#include "smtpcore/detail/dot_stuffer.hpp"

using smtpcore::detail::DotStuffer;

namespace {

struct Stuffed {
    std::string wire;
    bool too_long = false;
};

// Mirrors Client::body_buf()/body_ack(): the window is the top (free-2)/2
// bytes of the free space and the output is written forward from its start.
Stuffed stuff(const std::string& body, const std::string& sizes, bool dots = true) {
    DotStuffer s;
    if (!dots) s.reset_without_dots();
    Stuffed r;
    std::vector<char> buffer;
    std::size_t offset = 0, turn = 0;
    while (offset < body.size()) {
        std::size_t n = body.size() - offset;
        if (!sizes.empty()) {
            const std::size_t want = 1 + static_cast<unsigned char>(sizes[turn++ % sizes.size()]) * 5;
            n = want < n ? want : n;
        }
        const std::size_t free = 2 * n + 2;
        buffer.assign(free, '\0');
        char* window = buffer.data() + free - n;
        std::memcpy(window, body.data() + offset, n);
        const std::size_t out = s.stuff(window, n, buffer.data());
        FUZZ_CHECK(out <= DotStuffer::max_output(n), "stuff() wrote more than max_output()");
        r.wire.append(buffer.data(), out);
        offset += n;
        if (s.line_too_long()) {
            r.too_long = true;
            char probe[8];
            FUZZ_CHECK(s.stuff("x", 1, probe) == 0, "stuffer went on after a line was too long");
            return r;
        }
    }
    char tail[DotStuffer::kFinishMax];
    r.wire.append(tail, dots ? s.finish(tail) : s.end_line(tail));
    return r;
}

#if defined(SMTPCORE_DOT_STUFFER_KERNELS)
using StuffKernel = smtpcore::detail::TextKernel;

// Each kernel against the octet-wise state machine, whole and in pieces.
void check_kernels(const std::string& body, const std::string& sizes, bool dots) {
    const StuffKernel saved = smtpcore::detail::stuff_kernel();
    smtpcore::detail::select_stuff_kernel(StuffKernel::Portable);
    const Stuffed portable = stuff(body, sizes, dots);
    if (!portable.too_long)
        FUZZ_CHECK(portable.wire == smtpcore::test::reference_stuffed_body(body, dots) + (dots ? ".\r\n" : ""),
                   "the state machine differs from the reference");
    for (StuffKernel k : {StuffKernel::Sse2, StuffKernel::Avx2}) {
        if (!smtpcore::detail::select_stuff_kernel(k)) continue;
        const Stuffed whole = stuff(body, "", dots);
        const Stuffed pieces = stuff(body, sizes, dots);
        FUZZ_CHECK(whole.wire == portable.wire && pieces.wire == portable.wire, "a copy kernel changed the wire");
        FUZZ_CHECK(whole.too_long == portable.too_long && pieces.too_long == portable.too_long,
                   "a copy kernel changed whether a line was too long");
    }
    smtpcore::detail::select_stuff_kernel(saved);
}
#endif

void check_no_bare_line_ends(const std::string& wire) {
    for (std::size_t i = 0; i < wire.size(); ++i) {
        if (wire[i] == '\r') FUZZ_CHECK(i + 1 < wire.size() && wire[i + 1] == '\n', "bare CR on the wire");
        if (wire[i] == '\n') FUZZ_CHECK(i > 0 && wire[i - 1] == '\r', "bare LF on the wire");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const std::string sizes = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(1, 8));
    const std::string body = fdp.ConsumeRemainingBytesAsString();

#if defined(SMTPCORE_DOT_STUFFER_KERNELS)
    check_kernels(body, sizes, true);
    check_kernels(body, sizes, false);
#endif
    const Stuffed whole = stuff(body, "");
    const Stuffed pieces = stuff(body, sizes);
    FUZZ_CHECK(whole.wire == pieces.wire, "the split of the body changed the wire bytes");
    FUZZ_CHECK(whole.too_long == pieces.too_long, "the split changed whether a line was too long");

    const std::string lines = smtpcore::test::reference_stuffed_body(body);
    if (whole.too_long) {
        check_no_bare_line_ends(whole.wire);
        FUZZ_CHECK(lines.compare(0, whole.wire.size(), whole.wire) == 0,
                   "output before the over-long line differs from the body");
        FUZZ_CHECK(whole.wire.find("\r\n.\r\n") == std::string::npos && whole.wire.rfind(".\r\n", 0) != 0,
                   "end of data inside a body that was cut off");
        return 0;
    }
    check_no_bare_line_ends(whole.wire);
    FUZZ_CHECK(whole.wire == lines + ".\r\n", "wire bytes differ from the stuffed, normalised body");
    // Exactly one end of data, at the very end.
    const std::size_t eod = whole.wire.find("\r\n.\r\n");
    const bool starts_with_eod = whole.wire.rfind(".\r\n", 0) == 0;
    FUZZ_CHECK(starts_with_eod ? whole.wire.size() == 3 : eod + 5 == whole.wire.size(),
               "end of data before the end of the body");
    return 0;
}
