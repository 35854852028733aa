// The SIMD base64 encoders (lib/codec/base64_simd.cpp) against the scalar
// pair-table encoder: every implementation this CPU supports is forced in
// turn and must give the scalar output octet for octet, for every input
// length 0..300 split into random pieces, out of place and in place. The
// kernels are also called directly with their input at the very end of a
// readable page, so an over-read would fault.
#include <doctest/doctest.h>

#include <smtpcore/codec/base64.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "base64_simd.hpp"
#include "simd_test_support.hpp"


using namespace smtpcore::codec;
using detail::Base64Impl;
#if defined(__linux__)
using simd_test::GuardedPage;  // the guard-page cases are Linux-only (mmap)
#endif
using simd_test::Rng;

namespace {

constexpr Base64Impl kAll[] = {Base64Impl::Scalar, Base64Impl::Avx2, Base64Impl::Avx512Vbmi};

std::string random_octets(Rng& rng, std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng.next());
    return s;
}

using ForceImpl = simd_test::ForceImpl<Base64Impl, &detail::base64_impl, &detail::base64_select_impl>;

// Piece sizes: mostly small, sometimes whole lines or more, sometimes 0.
std::vector<std::size_t> random_pieces(Rng& rng, std::size_t n) {
    std::vector<std::size_t> pieces;
    std::size_t left = n;
    while (left > 0) {
        std::size_t k;
        switch (rng.below(4)) {
            case 0: k = rng.below(8); break;
            case 1: k = rng.below(64); break;
            case 2: k = 57 * (1 + rng.below(3)) + rng.below(3); break;
            default: k = rng.below(n + 1); break;
        }
        if (k > left) k = left;
        pieces.push_back(k);
        left -= k;
    }
    return pieces;
}

struct Encodings {
    std::string one_shot, streamed, lines, lines_in_place;
    bool operator==(const Encodings& o) const {
        return one_shot == o.one_shot && streamed == o.streamed && lines == o.lines && lines_in_place == o.lines_in_place;
    }
};

// All four encodings of `data` with the currently selected implementation.
Encodings encode_all(const std::string& data, const std::vector<std::size_t>& pieces) {
    Encodings e;
    e.one_shot.assign(base64_encoded_size(data.size()), '\0');
    e.one_shot.resize(base64_encode(data.data(), data.size(), e.one_shot.data()));

    Base64Encoder plain;
    Base64LineEncoder lines, in_place;
    std::size_t off = 0;
    for (const std::size_t n : pieces) {
        std::vector<char> out(plain.max_output(n) + 1);
        e.streamed.append(out.data(), plain.update(data.data() + off, n, out.data()));
        out.assign(lines.max_output(n) + 1, '\0');
        e.lines.append(out.data(), lines.update(data.data() + off, n, out.data()));
        // The writer's layout: input at the top of one buffer, output from its
        // start, in - out >= 8, output (max_output) ending at or before in + n.
        const std::size_t bound = in_place.max_output(n);
        std::vector<char> buffer(bound > n + 8 ? bound : n + 8);
        char* in = buffer.data() + buffer.size() - n;
        std::memcpy(in, data.data() + off, n);
        e.lines_in_place.append(buffer.data(), in_place.update(in, n, buffer.data()));
        off += n;
    }
    char tail[8];
    e.streamed.append(tail, plain.finish(tail));
    e.lines.append(tail, lines.finish(tail));
    e.lines_in_place.append(tail, in_place.finish(tail));
    return e;
}

#if SMTPCORE_BASE64_X86 && defined(__linux__)
using GroupsKernel = std::size_t (*)(const std::uint8_t*, std::size_t, char*) noexcept;
using LinesKernel = char* (*)(const std::uint8_t*, std::size_t, char*) noexcept;

// A kernel's output for `groups` triples equals the scalar encoding, it
// writes nothing past its characters, and it reads nothing past its input.
void check_groups_kernel(GroupsKernel kernel, std::size_t step) {
    GuardedPage page;
    Rng rng{0x9e3779b97f4a7c15ull};
    for (std::size_t groups = 0; groups <= 120; ++groups) {
        const std::string data = random_octets(rng, groups * 3);
        std::string want(groups * 4, '\0');
        {
            ForceImpl scalar(Base64Impl::Scalar);
            base64_encode(data.data(), data.size(), want.data());
        }
        char* in = page.tail(data.size());
        std::memcpy(in, data.data(), data.size());
        std::string out(groups * 4 + 64, '#');
        const std::size_t done = kernel(reinterpret_cast<const std::uint8_t*>(in), groups, out.data());
        CHECK(done <= groups);
        CHECK(groups - done < step);
        CHECK_MESSAGE(out.compare(0, done * 4, want, 0, done * 4) == 0, "groups " << groups);
        CHECK_MESSAGE(out.find_first_not_of('#', done * 4) == std::string::npos, "wrote past the end, groups " << groups);
    }
}

void check_lines_kernel(LinesKernel kernel) {
    GuardedPage page;
    Rng rng{0x2545f4914f6cdd1dull};
    for (std::size_t lines = 1; lines <= 8; ++lines) {
        const std::string data = random_octets(rng, lines * 57);
        std::string want;
        {
            ForceImpl scalar(Base64Impl::Scalar);
            Base64LineEncoder e;
            want.assign(e.max_output(data.size()), '\0');
            want.resize(e.update(data.data(), data.size(), want.data()));
        }
        REQUIRE(want.size() == lines * 78 - 2);
        // Out of place, input at the end of the readable page.
        char* in = page.tail(data.size());
        std::memcpy(in, data.data(), data.size());
        std::string out(want.size() + 64, '#');
        char* end = kernel(reinterpret_cast<const std::uint8_t*>(in), lines, out.data());
        CHECK(end == out.data() + want.size());
        CHECK_MESSAGE(out.compare(0, want.size(), want) == 0, "lines " << lines);
        CHECK_MESSAGE(out.find_first_not_of('#', want.size()) == std::string::npos, "wrote past the end");
        // In place with the output ending exactly where the input ends.
        char* top = page.tail(want.size());
        std::memcpy(top + want.size() - data.size(), data.data(), data.size());
        end = kernel(reinterpret_cast<const std::uint8_t*>(top + want.size() - data.size()), lines, top);
        CHECK(end == top + want.size());
        CHECK_MESSAGE(std::string(top, want.size()) == want, "in place, lines " << lines);
    }
}
#endif

}  // namespace

TEST_CASE("base64 SIMD: implementation selection") {
    CHECK(detail::base64_impl_supported(Base64Impl::Scalar));
    const Base64Impl chosen = detail::base64_impl();
    CHECK(detail::base64_impl_supported(chosen));
    // The default is the best one this build and CPU support.
    for (const Base64Impl impl : kAll) {
        if (detail::base64_impl_supported(impl)) CHECK(static_cast<int>(impl) <= static_cast<int>(chosen));
    }
    for (const Base64Impl impl : kAll) {
        ForceImpl force(impl);
        CHECK(force.ok() == detail::base64_impl_supported(impl));
        if (force.ok()) CHECK(detail::base64_impl() == impl);
    }
    CHECK(detail::base64_impl() == chosen);
    CHECK(std::string(detail::base64_impl_name(Base64Impl::Scalar)) == "scalar");
    CHECK(std::string(detail::base64_impl_name(Base64Impl::Avx2)) == "avx2");
    CHECK(std::string(detail::base64_impl_name(Base64Impl::Avx512Vbmi)) == "avx512vbmi");
    MESSAGE("base64 implementation: " << detail::base64_impl_name(chosen));
}

TEST_CASE("base64 SIMD: every implementation equals scalar for lengths 0..300, random pieces") {
    for (const Base64Impl impl : kAll) {
        if (!detail::base64_impl_supported(impl)) {
            MESSAGE("not supported here, skipped: " << detail::base64_impl_name(impl));
            continue;
        }
        Rng rng{0x853c49e6748fea9bull};
        for (std::size_t len = 0; len <= 300; ++len) {
            for (int round = 0; round < 4; ++round) {
                const std::string data = random_octets(rng, len);
                const std::vector<std::size_t> pieces = random_pieces(rng, len);
                Encodings want, got;
                {
                    ForceImpl scalar(Base64Impl::Scalar);
                    want = encode_all(data, pieces);
                }
                {
                    ForceImpl force(impl);
                    REQUIRE(force.ok());
                    got = encode_all(data, pieces);
                }
                CHECK_MESSAGE(got == want, detail::base64_impl_name(impl) << " length " << len << " round " << round);
                // The scalar one-shot output is the reference for all streams.
                CHECK(want.streamed == want.one_shot);
            }
        }
    }
}

TEST_CASE("base64 SIMD: the writer's window sizes, in place, larger inputs") {
    Rng rng{0xda3e39cb94b95bdbull};
    for (const Base64Impl impl : kAll) {
        if (!detail::base64_impl_supported(impl)) continue;
        for (int round = 0; round < 40; ++round) {
            const std::size_t room = 24 + rng.below(5000);
            const std::string data = random_octets(rng, rng.below(20000));
            std::vector<std::size_t> pieces;
            for (std::size_t left = data.size(); left > 0;) {
                std::size_t k = Base64LineEncoder::input_for(room);
                if (k == 0) k = 1;
                if (k > left) k = left;
                pieces.push_back(k);
                left -= k;
            }
            Encodings want, got;
            {
                ForceImpl scalar(Base64Impl::Scalar);
                want = encode_all(data, pieces);
            }
            {
                ForceImpl force(impl);
                got = encode_all(data, pieces);
            }
            CHECK_MESSAGE(got == want, detail::base64_impl_name(impl) << " room " << room << " size " << data.size());
        }
    }
}

#if SMTPCORE_BASE64_X86 && defined(__linux__)
TEST_CASE("base64 SIMD: AVX2 kernels directly") {
    if (!detail::base64_cpu_has_avx2()) {
        MESSAGE("no AVX2 on this CPU: skipped");
        return;
    }
    check_groups_kernel(detail::base64_groups_avx2, 4);
    check_lines_kernel(detail::base64_lines_avx2);
}

TEST_CASE("base64 SIMD: AVX-512 VBMI kernels directly") {
    if (!detail::base64_cpu_has_avx512vbmi()) {
        MESSAGE("no AVX-512 VBMI on this CPU: skipped");
        return;
    }
    check_groups_kernel(detail::base64_groups_avx512vbmi, 1);
    check_lines_kernel(detail::base64_lines_avx512vbmi);
}
#endif
