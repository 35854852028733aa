// The quoted-printable encoder with a SIMD run search (lib/codec/qp_simd.cpp)
// against the scalar one: every implementation this CPU supports is forced in
// turn and must give the scalar output octet for octet, in both modes, for
// random text-like and binary inputs split into random pieces, out of place
// and in place. The run-search kernels are also called directly with their
// input at the very end of a readable page, so an over-read would fault.
#include <doctest/doctest.h>

#include <smtpcore/codec/quoted_printable.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "qp_simd.hpp"
#include "simd_test_support.hpp"

using namespace smtpcore::codec;
using detail::QpImpl;
using simd_test::Rng;

namespace {

constexpr QpImpl kAll[] = {QpImpl::Scalar, QpImpl::Avx2, QpImpl::Avx512Bw};

using ForceQp = simd_test::ForceImpl<QpImpl, &detail::qp_impl, &detail::qp_select_impl>;

// Mostly plain text (words, spaces, long lines that need soft breaks), with
// the octets that take the slow path mixed in: '=', tabs, CR, LF, CRLF,
// control and 8-bit octets, trailing white space before line ends.
std::string random_text(Rng& rng, std::size_t n) {
    static const char* const kSpecial[] = {"=", "\t", "\r\n", "\n", "\r", " \r\n", "\t\n", "\x01", "\xc3\xa9", "\x7f",
                                           "  ", "=\r\n"};
    std::string s;
    while (s.size() < n) {
        const std::size_t kind = rng.below(16);
        if (kind < 11) {
            const std::size_t word = 1 + rng.below(kind == 0 ? 120 : 9);
            for (std::size_t i = 0; i < word; ++i) s += static_cast<char>('!' + rng.below(94));
            s += ' ';
        } else {
            s += kSpecial[rng.below(sizeof kSpecial / sizeof kSpecial[0])];
        }
    }
    s.resize(n);
    return s;
}

std::string random_octets(Rng& rng, std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng.next());
    return s;
}

// The whole encoding with the selected implementation, fed in `pieces`;
// `in_place`: each piece at the top of one buffer, output from its start.
std::string encode(const std::string& data, QpEncoder::Mode mode, const std::vector<std::size_t>& pieces,
                   bool in_place) {
    QpEncoder e(mode);
    std::string out;
    std::size_t off = 0;
    for (const std::size_t n : pieces) {
        const std::size_t bound = QpEncoder::max_output(n);
        std::vector<char> buffer(bound + n);
        char* in = in_place ? buffer.data() + bound : nullptr;
        const char* src = data.data() + off;
        if (in_place) {
            std::memcpy(in, src, n);
            src = in;
        }
        out.append(buffer.data(), e.update(src, n, buffer.data()));
        off += n;
    }
    char tail[8];
    out.append(tail, e.finish(tail));
    return out;
}

std::vector<std::size_t> random_pieces(Rng& rng, std::size_t n) {
    std::vector<std::size_t> pieces;
    while (n > 0) {
        std::size_t k = rng.below(4) == 0 ? rng.below(8) : 1 + rng.below(300);
        if (k > n) k = n;
        pieces.push_back(k);
        n -= k;
    }
    return pieces;
}

}  // namespace

TEST_CASE("quoted-printable SIMD: implementation selection") {
    CHECK(detail::qp_impl_supported(QpImpl::Scalar));
    const QpImpl chosen = detail::qp_impl();
    CHECK(detail::qp_impl_supported(chosen));
    for (const QpImpl impl : kAll) {
        ForceQp force(impl);
        CHECK(force.ok() == detail::qp_impl_supported(impl));
        if (force.ok()) CHECK(detail::qp_impl() == impl);
    }
    CHECK(detail::qp_impl() == chosen);
    CHECK(std::string(detail::qp_impl_name(QpImpl::Avx2)) == "avx2");
}

TEST_CASE("quoted-printable SIMD: every implementation gives the scalar output") {
    Rng rng{0x853c49e6748fea9bull};
    int compared = 0;
    for (int round = 0; round < 400; ++round) {
        const std::size_t n = round < 200 ? static_cast<std::size_t>(round) : rng.below(5000);
        const bool text = rng.below(4) != 0;
        const std::string data = text ? random_text(rng, n) : random_octets(rng, n);
        const auto pieces = random_pieces(rng, n);
        for (const QpEncoder::Mode mode : {QpEncoder::Mode::Text, QpEncoder::Mode::Binary}) {
            std::string want;
            {
                ForceQp scalar(QpImpl::Scalar);
                want = encode(data, mode, {n}, false);
            }
            for (const QpImpl impl : kAll) {
                ForceQp force(impl);
                if (!force.ok()) continue;
                CHECK_MESSAGE(encode(data, mode, pieces, false) == want, detail::qp_impl_name(impl) << " n " << n);
                CHECK_MESSAGE(encode(data, mode, pieces, true) == want, "in place " << detail::qp_impl_name(impl));
                ++compared;
            }
        }
    }
    CHECK(compared >= 1600);  // at least scalar against itself in both modes, streamed and in place
}

#if SMTPCORE_BASE64_X86 && defined(__linux__)
TEST_CASE("quoted-printable SIMD: the run search reads nothing past its input") {
    using Kernel = std::size_t (*)(const std::uint8_t*, std::size_t) noexcept;
    const std::pair<QpImpl, Kernel> kernels[] = {{QpImpl::Avx2, &detail::qp_plain_run_avx2},
                                                 {QpImpl::Avx512Bw, &detail::qp_plain_run_avx512bw}};
    simd_test::GuardedPage page;
    Rng rng{0x5851f42d4c957f2dull};
    for (const auto& entry : kernels) {
        const QpImpl impl = entry.first;  // (not a structured binding: doctest's macros capture it)
        const Kernel kernel = entry.second;
        if (!detail::qp_impl_supported(impl)) continue;
        for (std::size_t n = 0; n <= 300; ++n) {
            // A plain run of random length, then possibly one octet that ends it.
            std::string data = random_text(rng, n);
            for (auto& c : data)
                if (!detail::qp_plain(static_cast<std::uint8_t>(c))) c = 'x';
            const std::size_t stop = rng.below(n + 1);
            if (stop < n) data[stop] = "=\r\n\x80\x1f\x7f"[rng.below(6)];
            char* in = page.tail(n);
            std::memcpy(in, data.data(), n);
            const std::size_t want = stop < n ? stop : n;
            CHECK_MESSAGE(kernel(reinterpret_cast<const std::uint8_t*>(in), n) == want,
                          detail::qp_impl_name(impl) << " n " << n);
        }
    }
}
#endif
