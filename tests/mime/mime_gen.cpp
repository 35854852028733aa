// Writes messages for the independent checkers (check_messages.py: Python's
// email package; check_readers.py: munpack and ripmime): the shared samples,
// the cases of the review (corpus_cases.cpp), and random
// messages with random binaries of random sizes, random names and subjects,
// streamed through sources that answer in random pieces and sometimes Pending,
// read through random window sizes. Originals and expectations go to a
// manifest.json next to the .eml files.
//
// usage: mime_gen OUTDIR [COUNT] [SEED]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "samples.hpp"

using namespace smtpcore;
using namespace smtpcore::mime;
using smtpcore::mime::test::Expect;
using smtpcore::mime::test::Sample;
using smtpcore::mime::test::write_file;

namespace {

// A source that hands out its buffer in random pieces and sometimes says Pending.
struct ChunkySource {
    Bytes data;
    std::size_t offset = 0;
    std::mt19937_64 rng;
    static ReadResult read(void* self, MutableBytes out) noexcept {
        auto* s = static_cast<ChunkySource*>(self);
        if (s->rng() % 5 == 0) return ReadResult{0, ReadStatus::Pending};
        std::size_t n = s->data.size() - s->offset;
        if (n > out.size()) n = out.size();
        if (n > 0) n = 1 + s->rng() % n;
        for (std::size_t i = 0; i < n; ++i) out[i] = s->data[s->offset + i];
        s->offset += n;
        return ReadResult{n, s->offset == s->data.size() ? ReadStatus::End : ReadStatus::Data};
    }
};

const char* kWords[] = {"hello", "report", "Grüße", "naïve", "café", "日本語", "テスト", "Привет", "мир",
                        "🎉", "a=?b", "x", "long-word-without-spaces-that-goes-on-and-on-and-on-for-quite-a-while-yes",
                        "ok", "Ελληνικά", "中文", "emoji🙂mix", "tab", "=?utf-8?q?fake?=", "ümlaut"};

// Every other message leaves out the words holding "=?": some readers
// (ripmime) decode such text twice, and should still see most of the corpus.
bool g_plain_words = false;

std::string random_phrase(std::mt19937_64& rng, std::size_t max_words) {
    std::string s;
    const std::size_t n = 1 + rng() % max_words;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) s += ' ';
        std::string_view w = kWords[rng() % (sizeof kWords / sizeof kWords[0])];
        while (g_plain_words && w.find("=?") != std::string_view::npos) w = kWords[rng() % (sizeof kWords / sizeof kWords[0])];
        s += w;
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUTDIR [COUNT] [SEED]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const int count = argc > 2 ? std::atoi(argv[2]) : 40;
    const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
    std::vector<std::string> entries;

    // The shared samples (also golden-tested), then the review's cases.
    for (int k = 0; k < test::kSampleCount; ++k) {
        Sample s;
        test::sample_by_index(s, k);
        s.name = "sample-" + s.name;
        entries.push_back(test::record_sample(dir, s, Expect{}, {97}));
    }
    test::review_cases(dir, entries);

    std::mt19937_64 rng(seed);
    for (int n = 0; n < count; ++n) {
        Sample s;
        s.name = "random-" + std::to_string(n);
        g_plain_words = n % 2 == 1;
        s.date = date_from_unix(static_cast<std::int64_t>(rng() % 4000000000ull), static_cast<int>(rng() % 1500) - 750);
        std::vector<std::string> strings;
        strings.reserve(64);
        auto keep = [&](std::string v) -> std::string_view {
            strings.push_back(std::move(v));
            return strings.back();
        };
        s.msg.from = Mailbox{keep(random_phrase(rng, 4)), "sender@example.org"};
        const std::size_t nto = 1 + rng() % 6;
        for (std::size_t i = 0; i < nto; ++i)
            s.to.push_back(Mailbox{rng() % 3 == 0 ? std::string_view() : keep(random_phrase(rng, 5)),
                                   keep("user" + std::to_string(i) + "@example" + std::to_string(n) + ".net")});
        s.msg.subject = keep(random_phrase(rng, 14));
        s.msg.message_id_random = Bytes(s.random.data(), 16);
        s.msg.message_id_domain = "gen.example.org";
        s.msg.eight_bit_mime = rng() % 2 == 0;
        s.blobs.reserve(8);  // parts point into blobs: no reallocation after this
        s.blobs.push_back(random_phrase(rng, 30) + "\r\nsecond line\nthird line\r\n" + std::string(rng() % 1500, 'z'));
        s.text.data = Bytes(s.blobs.back().data(), s.blobs.back().size());
        s.msg.text = &s.text;

        const std::size_t natt = rng() % 4;
        std::vector<ChunkySource> sources(natt);
        Expect e;
        for (std::size_t i = 0; i < natt; ++i) {
            // Sizes: mostly small, some large (up to ~3 MiB), some empty.
            const std::uint64_t r = rng() % 10;
            const std::size_t size = r == 0 ? 0 : r < 7 ? rng() % 5000 : rng() % (3u << 20);
            s.blobs.push_back(test::pseudo_random_bytes(size, rng()));
            Part p;
            p.content_type = rng() % 2 ? "application/octet-stream" : "image/jpeg";
            p.filename = keep(random_phrase(rng, 6) + ".bin");
            if (rng() % 2) {
                sources[i] = ChunkySource{Bytes(s.blobs.back().data(), size), 0, std::mt19937_64(rng())};
                p.source = BodySource{&ChunkySource::read, &sources[i]};
            } else {
                p.data = Bytes(s.blobs.back().data(), size);
            }
            s.attachments.push_back(p);
            const std::string path = dir + "/" + s.name + ".att" + std::to_string(i);
            write_file(path, s.blobs.back());
            e.atts.push_back({std::string(p.filename), std::string(p.content_type), path, "", true});
        }
        s.link();
        s.msg.boundary_random = Bytes(s.random.data() + (n % 8), 8);
        std::vector<std::size_t> windows;
        for (int k = 0; k < 7; ++k) windows.push_back(1 + rng() % (rng() % 2 ? 100 : 70000));
        entries.push_back(test::record_sample(dir, s, e, windows));
    }
    std::string manifest = "[\n";
    for (std::size_t i = 0; i < entries.size(); ++i) manifest += (i ? ",\n" : "") + entries[i];
    write_file(dir + "/manifest.json", manifest + "\n]\n");
    return 0;
}
