// Fuzz target: the streaming reply parser (RFC 5321 §4.2), fed any bytes in
// any pieces.
//
// Input: [bare_lf][max line][max lines][piece seed] then the server bytes.
// Checks, on every step:
//  - `used` never passes the input, and a Text piece lies inside it;
//  - text never holds CR, LF, NUL or other controls except HT;
//  - no line passes the configured bound, no reply has more lines than allowed;
//  - once Error, always Error;
//  - split invariance: the same bytes parsed whole and in fuzzed pieces give
//    the same sequence of steps, codes and text.
#include <cstdint>
#include <cstring>
#include <string>

#include "check.hpp"
#include "fuzzed_data_provider.hpp"
#include "smtpcore/detail/reply_parser.hpp"

using smtpcore::detail::ReplyParser;

namespace {

struct Trace {
    std::string log;  // one record per step: kind, code, text
    std::size_t line_start = 0;  // where the current line's text begins in log
    bool failed = false;
};

void record(Trace& t, ReplyParser::Step step, const ReplyParser& p, std::string_view text) {
    switch (step) {
    case ReplyParser::Step::Text: t.log.append(text.data(), text.size()); break;
    case ReplyParser::Step::LineEnd:
        t.log += "|LE" + std::to_string(p.code()) + "|";
        t.line_start = t.log.size();
        break;
    case ReplyParser::Step::ReplyEnd:
        t.log += "|RE" + std::to_string(p.code()) + "|";
        t.line_start = t.log.size();
        break;
    case ReplyParser::Step::Error:
        // Text of the failing line handed out before the error depends on
        // the split (a piece is checked as it arrives): compare lines only.
        t.log.resize(t.line_start);
        t.log += "|ERR|";
        t.failed = true;
        break;
    case ReplyParser::Step::NeedMore: break;
    }
}

// Feeds `input` in pieces whose sizes come from `sizes` (cycled); 0 = whole.
Trace run(const smtpcore::Limits& limits, bool bare_lf, const std::string& input,
          const std::string& sizes) {
    ReplyParser p;
    p.configure(limits, bare_lf);
    Trace t;
    std::size_t offset = 0, turn = 0, line_octets = 0;
    while (offset < input.size() && !t.failed) {
        std::size_t piece = input.size() - offset;
        if (!sizes.empty()) {
            const std::size_t want = 1 + static_cast<unsigned char>(sizes[turn++ % sizes.size()]) % 16;
            piece = want < piece ? want : piece;
        }
        const char* in = input.data() + offset;
        std::size_t pos = 0;
        while (pos < piece) {
            std::size_t used = 0;
            std::string_view text;
            const ReplyParser::Step step = p.parse(in + pos, piece - pos, used, text);
            FUZZ_CHECK(used <= piece - pos, "parser used more bytes than it was given");
            if (step == ReplyParser::Step::Text) {
                FUZZ_CHECK(text.data() >= in + pos && text.data() + text.size() <= in + pos + used,
                           "text piece outside the input");
                for (const char c : text) {
                    const auto u = static_cast<unsigned char>(c);
                    FUZZ_CHECK(u >= 0x20 || u == '\t', "control character handed out as reply text");
                }
                line_octets += text.size();
                FUZZ_CHECK(line_octets + 4 + 2 <= limits.reply_line, "reply text passes the line limit");
            }
            if (step == ReplyParser::Step::LineEnd || step == ReplyParser::Step::ReplyEnd) {
                line_octets = 0;
                // line() counts the lines ended so far at LineEnd, and is the
                // index of the last line at ReplyEnd.
                const std::size_t lines = p.line() + (step == ReplyParser::Step::ReplyEnd ? 1 : 0);
                FUZZ_CHECK(lines <= limits.reply_lines, "reply has more lines than allowed");
                FUZZ_CHECK(p.code() >= 200 && p.code() <= 559, "reply code outside 2xx..5xx");
            }
            record(t, step, p, text);
            pos += used;
            if (step == ReplyParser::Step::Error) {
                std::size_t again = 0;
                std::string_view ignored;
                FUZZ_CHECK(p.parse(in, piece, again, ignored) == ReplyParser::Step::Error && again == 0,
                           "parser recovered from an error");
                break;
            }
            if (step == ReplyParser::Step::NeedMore) break;
        }
        offset += piece;
    }
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    smtpcore::Limits limits;
    const bool bare_lf = fdp.ConsumeBool();
    limits.reply_line = fdp.ConsumeIntegralInRange<std::uint16_t>(64, 1024);
    limits.reply_lines = fdp.ConsumeIntegralInRange<std::uint16_t>(1, 300);
    const std::string sizes = fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<std::size_t>(1, 8));
    const std::string input = fdp.ConsumeRemainingBytesAsString();

    const Trace whole = run(limits, bare_lf, input, "");
    const Trace pieces = run(limits, bare_lf, input, sizes);
    // Text pieces may be cut differently; compare the concatenated log.
    FUZZ_CHECK(whole.log == pieces.log, "the split of the input changed what the parser reported");
    FUZZ_CHECK(whole.failed == pieces.failed, "the split of the input changed whether it failed");
    return 0;
}
