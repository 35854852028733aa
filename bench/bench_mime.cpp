// Throughput of the MIME codecs and the message writer, each compared with
// memcpy of the same number of octets in the same run (so the ratios are
// comparable across machines). Prints one line per measurement.
//
// usage: bench_mime [MiB]   (default 64 MiB of attachment data)
//        bench_mime --sweep   (only the window sweep, section 4)
//
// base64 is measured with every implementation the CPU supports (scalar pair
// table, AVX2, AVX-512 VBMI); the whole message with the one the library
// selects, and again with each other one (AVX2, scalar) for comparison.
#include <smtpcore/codec/base64.hpp>
#include <smtpcore/codec/quoted_printable.hpp>
#include <smtpcore/mime/writer.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "base64_simd.hpp"  // lib/codec: implementation selection
#include "qp_simd.hpp"

using namespace smtpcore;
using codec::detail::Base64Impl;
using codec::detail::QpImpl;
using Clock = std::chrono::steady_clock;

namespace {

volatile char g_sink;

template <class F>
double seconds_best_of(int runs, F&& f) {
    double best = 1e30;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        f();
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        if (s < best) best = s;
    }
    return best;
}

std::vector<char> random_bytes(std::size_t n) {
    std::vector<char> v(n);
    std::uint64_t x = 88172645463325252ull;
    for (auto& c : v) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x);
    }
    return v;
}

// Mostly ASCII text with some UTF-8 and the odd '=' (what QP is meant for).
std::vector<char> texty_bytes(std::size_t n) {
    const char* line = "The quick brown fox = jumps over the lazy dog; Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln.\r\n";
    const std::size_t len = std::strlen(line);
    std::vector<char> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = line[i % len];
    return v;
}

// memcpy of `total` octets in `chunk`-sized pieces from a `src` buffer (cycled).
double memcpy_rate(const std::vector<char>& src, std::size_t total, std::size_t chunk, std::vector<char>& dst) {
    const double s = seconds_best_of(5, [&] {
        std::size_t done = 0, off = 0;
        while (done < total) {
            std::size_t n = chunk < total - done ? chunk : total - done;
            if (off + n > src.size()) off = 0;
            std::memcpy(dst.data(), src.data() + off, n);
            g_sink = dst[n - 1];
            off += n;
            done += n;
        }
    });
    return static_cast<double>(total) / s;
}

void report(const char* what, double rate, double memcpy) {
    std::printf("%-48s %8.0f MB/s   memcpy %8.0f MB/s   ratio %5.1f%%\n", what, rate / 1e6, memcpy / 1e6,
                100.0 * rate / memcpy);
}

// 4. Window sweep: a header-heavy message (a ~28 KB To: field of 700
//    named mailboxes, a long non-ASCII subject, a long References field)
//    written through windows from 4096 octets down to 1. Small windows are
//    the embedded case; the time per window size shows whether header
//    rendering stays linear in the output.
void window_sweep() {
    std::vector<std::string> names, addresses;
    for (int i = 0; i < 700; ++i) {
        names.push_back("Recipient Number " + std::to_string(i));
        addresses.push_back("recipient" + std::to_string(i) + "@example.org");
    }
    std::vector<mime::Mailbox> to;
    for (int i = 0; i < 700; ++i) to.push_back(mime::Mailbox{names[i], addresses[i]});
    std::string subject;
    for (int i = 0; i < 200; ++i) subject += "Gr\xc3\xbc\xc3\x9f" "e ";
    std::string references;
    for (int i = 0; i < 100; ++i) references += "<thread-" + std::to_string(i) + "@mail.example.com> ";
    const mime::Header headers[] = {{"References", references}};
    mime::Part text;
    const char* body = "Hello.\r\n";
    text.data = Bytes(body, std::strlen(body));
    mime::Message m;
    m.from = mime::Mailbox{"Sender", "sender@example.org"};
    m.to = Span<const mime::Mailbox>(to.data(), to.size());
    m.subject = subject;
    m.headers = Span<const mime::Header>(headers, 1);
    m.text = &text;
    std::vector<char> window(4096);
    for (const std::size_t size : {4096, 1024, 256, 64, 16, 4, 1}) {
        std::size_t total = 0;
        const double s = seconds_best_of(3, [&] {
            mime::MessageWriter w;
            if (!w.start(m).ok()) std::abort();
            total = 0;
            for (;;) {
                const ReadResult r = w.read(MutableBytes(window.data(), size));
                total += r.size;
                if (r.status != ReadStatus::Data) break;
            }
        });
        std::printf("window sweep: %5zu-octet windows, %zu-octet message: %9.4f s (%7.1f MB/s)\n", size,
                    total, s, static_cast<double>(total) / s / 1e6);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--sweep") == 0) {
        window_sweep();
        return 0;
    }
    const std::size_t mib = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 64;
    const std::size_t chunk = 64 * 1024;  // the window a host would offer

    // 1. base64 one shot and with 76-column lines, input in 48 KiB pieces
    //    (L2-resident, like a window-sized read), output to a 64 KiB window,
    //    with each implementation this CPU supports.
    const Base64Impl chosen = codec::detail::base64_impl();
    std::printf("base64 implementation: %s\n", codec::detail::base64_impl_name(chosen));
    {
        const std::size_t piece = 48 * 1024;
        const std::vector<char> in = random_bytes(piece);
        std::vector<char> out(codec::base64_encoded_size(piece) + 4096);
        const std::size_t rounds = (mib << 20) / piece;
        std::vector<char> dst(chunk);
        const double mc = memcpy_rate(in, rounds * piece, piece, dst);
        for (const Base64Impl impl : {Base64Impl::Scalar, Base64Impl::Avx2, Base64Impl::Avx512Vbmi}) {
            if (!codec::detail::base64_select_impl(impl)) continue;
            const char* name = codec::detail::base64_impl_name(impl);
            char label[64];
            double s = seconds_best_of(5, [&] {
                for (std::size_t r = 0; r < rounds; ++r)
                    g_sink = out[codec::base64_encode(in.data(), piece, out.data()) - 1];
            });
            std::snprintf(label, sizeof label, "base64 encode, %s (input octets)", name);
            report(label, static_cast<double>(rounds * piece) / s, mc);
            s = seconds_best_of(5, [&] {
                codec::Base64LineEncoder e;
                for (std::size_t r = 0; r < rounds; ++r) g_sink = out[e.update(in.data(), piece, out.data()) - 1];
            });
            std::snprintf(label, sizeof label, "base64 76-col lines, %s (input octets)", name);
            report(label, static_cast<double>(rounds * piece) / s, mc);
        }
        codec::detail::base64_select_impl(chosen);
    }

    // 2. quoted-printable on mostly-ASCII text and on random binary.
    {
        const std::size_t piece = 16 * 1024;
        const std::vector<char> text = texty_bytes(piece);
        const std::vector<char> bin = random_bytes(piece);
        std::vector<char> out(codec::QpEncoder::max_output(piece));
        const std::size_t rounds = (mib << 20) / piece / 4;
        std::vector<char> dst(chunk);
        const double mc = memcpy_rate(text, rounds * piece, piece, dst);
        // Text with each implementation this CPU supports (the run search),
        // then the selected one again for binary.
        const QpImpl qp_chosen = codec::detail::qp_impl();
        std::printf("quoted-printable implementation: %s\n", codec::detail::qp_impl_name(qp_chosen));
        double s = 0;
        for (const QpImpl impl : {QpImpl::Scalar, QpImpl::Avx2, QpImpl::Avx512Bw}) {
            if (!codec::detail::qp_select_impl(impl)) continue;
            s = seconds_best_of(3, [&] {
                codec::QpEncoder e(codec::QpEncoder::Mode::Text);
                for (std::size_t r = 0; r < rounds; ++r) g_sink = out[e.update(text.data(), piece, out.data()) - 1];
            });
            const std::string name = std::string("quoted-printable, text, ") + codec::detail::qp_impl_name(impl) +
                                     " (input octets)";
            report(name.c_str(), static_cast<double>(rounds * piece) / s, mc);
        }
        codec::detail::qp_select_impl(qp_chosen);
        s = seconds_best_of(3, [&] {
            codec::QpEncoder e(codec::QpEncoder::Mode::Binary);
            for (std::size_t r = 0; r < rounds; ++r) g_sink = out[e.update(bin.data(), piece, out.data()) - 1];
        });
        report("quoted-printable, binary (input octets)", static_cast<double>(rounds * piece) / s, mc);
    }

    // 3. A whole attachment-heavy message (short text + 4 binary attachments,
    //    `mib` MiB in total) written through a 64 KiB window, versus memcpy of
    //    the same number of output octets through the same window.
    {
        const std::vector<char> blob = random_bytes((mib << 20) / 4);
        mime::Part text;
        const char* body = "Logs attached.\r\n";
        text.data = Bytes(body, std::strlen(body));
        mime::Part atts[4];
        for (auto& a : atts) {
            a.content_type = "application/octet-stream";
            a.filename = "device-log.bin";
            a.data = Bytes(blob.data(), blob.size());
        }
        mime::Message m;
        m.from = mime::Mailbox{"Device", "device@example.org"};
        const mime::Mailbox to[] = {{"Support", "support@example.com"}};
        m.to = Span<const mime::Mailbox>(to, 1);
        m.subject = "Diagnostics";
        m.text = &text;
        m.attachments = Span<const mime::Part>(atts, 4);
        std::vector<char> window(chunk);
        std::size_t total = 0;
        const auto write_message = [&] {
            return seconds_best_of(3, [&] {
                mime::MessageWriter w;
                if (!w.start(m).ok()) std::abort();
                total = 0;
                for (;;) {
                    const ReadResult r = w.read(MutableBytes(window.data(), window.size()));
                    total += r.size;
                    if (r.status != ReadStatus::Data) break;
                }
            });
        };
        const double s = write_message();
        const double rate = static_cast<double>(total) / s;
        const double mc = memcpy_rate(blob, total, chunk, window);
        report("whole message, 4 base64 attachments (output)", rate, mc);
        std::printf("%-48s %8.0f MB/s of attachment data (%zu MiB message, %s)\n", "", 4.0 * blob.size() / s / 1e6,
                    total >> 20, codec::detail::base64_impl_name(chosen));
        for (const Base64Impl impl : {Base64Impl::Avx2, Base64Impl::Scalar}) {
            if (impl == chosen || !codec::detail::base64_select_impl(impl)) continue;
            char label[64];
            std::snprintf(label, sizeof label, "  ... with the %s base64 encoder", codec::detail::base64_impl_name(impl));
            report(label, static_cast<double>(total) / write_message(), mc);
        }
        codec::detail::base64_select_impl(chosen);
        // The same octets copied from and to buffers far larger than the
        // caches: the memory-bound reference (what a 100 MiB file costs).
        std::vector<char> big_src = random_bytes(total), big_dst(total);
        const double dram = static_cast<double>(total) / seconds_best_of(3, [&] {
            for (std::size_t off = 0; off < total; off += chunk) {
                const std::size_t n = chunk < total - off ? chunk : total - off;
                std::memcpy(big_dst.data() + off, big_src.data() + off, n);
            }
            g_sink = big_dst[total - 1];
        });
        report("  ... versus out-of-cache memcpy", rate, dram);
        std::printf("sizeof(MessageWriter) = %zu octets\n", sizeof(mime::MessageWriter));
    }

    window_sweep();
    return 0;
}
