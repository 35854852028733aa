// The runner behind doctest/doctest.h on the Cortex-M0+: runs every
// registered case but those listed in kTooBigForThisBoard, prints one line per case
// and a summary through semihosting, and returns non-zero if any case failed.
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "doctest/doctest.h"
#include "heap_ram.hpp"
#include "semihosting.hpp"

namespace doctest_lite {
namespace {

struct TestCase {
    const char* name;
    TestFunction function;
};

constexpr int kMaxCases = 160;
TestCase g_cases[kMaxCases];
int g_count = 0;
bool g_table_full = false;
bool g_case_failed = false;
std::jmp_buf g_leave;

// Cases that outgrow the micro:bit's 16 KiB of RAM (they run on the
// Cortex-M4 and the host): each was seen, run alone, to exhaust the heap
// (abort() from operator new) or to take the stack past its 3.5 KiB reserve,
// but the last, whose 1 MiB reply line alone is 64 times the RAM.
// Their transcripts are long (ten messages, 50 recipients, a 1 MiB reply
// line, big EHLO replies), and the runner keeps four copies of one as
// std::string lines. The engine itself needs none of that memory.
const char* const kTooBigForThisBoard[] = {
    "regress-feed-empty-window: feed() after the end takes nothing",  // two StaticClient<1024> on the stack
    "queue: the next message's envelope waits for room behind the end of data",
    "flights: a batch of 10 with PIPELINING takes 2 flights per message (envelope, body)",
    "flights: a batch of 10 without PIPELINING takes 4 flights per message",
    "flights: the batch replays at every split",
    "flights: a batch of 10 submitted ahead takes 1 flight per message in steady state",
    "flights: a BDAT batch of 10 with PIPELINING takes 1 flight per message, one at a time",
    "flights: a BDAT batch of 10 without PIPELINING takes 3 flights per message (MAIL, RCPT, BDAT LAST)",
    "Postfix submission: STARTTLS, AUTH PLAIN, pipelined envelope, one recipient refused",
    "Gmail and Microsoft 365 EHLO replies are understood",
    "several messages in one session; RSET only after a failed one",
    "MAIL refused: the pipelined RCPT and DATA replies are drained, no RSET",
    "SIZE, BODY=8BITMIME and SMTPUTF8 parameters",
    "credentials never go out in plaintext unless allowed",
    "application input: CR/LF/NUL and bad addresses are refused and nothing is sent",
    "body: lines over 998 octets end the message without end of data",
    "the smallest storage still runs a pipelined session with 50 recipients",
    "ahead: both accepted, in order, with no Ready in between",
    "ahead: a refused first message does not disturb the second",
    "hostile replies: over-long line, NUL, mismatched codes, bad code, bare LF, endless EHLO",
    // LMTP's longer dialogues (each run alone: abort() from operator new)
    "lmtp: one reply per accepted recipient after the dot, each that recipient's outcome (RFC 2033 §4.2)",
    "lmtp: every recipient refused after the dot rejects the message, temporary when one reply was",
    "lmtp: the connection lost between the replies leaves the message unknown, never not sent",
    "lmtp: a 421 in place of a recipient's reply leaves the message unknown",
    "lmtp: MAIL, RCPT and DATA pipelined, then a second message in the same session",
    "lmtp: a message submitted ahead goes out behind the dot and its replies follow the first's",
    "lmtp: BDAT is not used, even when the server offers CHUNKING; chunking Always is refused",
};

bool too_big(const char* name) {
    for (const char* skipped : kTooBigForThisBoard)
        if (std::strcmp(skipped, name) == 0) return true;
    return false;
}

void print(const char* text) { board::host_print(text); }

}  // namespace

int add_test(const char* name, TestFunction function) {
    if (g_count == kMaxCases) {
        g_table_full = true;
        return 0;
    }
    g_cases[g_count++] = TestCase{name, function};
    return 0;
}

void fail(const char* file, int line, const char* macro, const char* expression) {
    char where[96];
    std::snprintf(where, sizeof where, "  %s:%d: %s( ", file, line, macro);
    print(where);
    print(expression);
    print(" ) failed\n");
    g_case_failed = true;
}

void leave_case() { std::longjmp(g_leave, 1); }

namespace {
// Runs one case; true if no assertion failed. Its own frame, so that the
// longjmp of a failed REQUIRE clobbers no local of the loop around it.
bool run_case(TestFunction function) {
    g_case_failed = false;
    if (setjmp(g_leave) == 0) function();
    return !g_case_failed;
}
}  // namespace

// SYS_GET_CMDLINE (semihosting 0x15): QEMU's -semihosting-config arg=N runs
// only case N (counted from 0 in link order) on a freshly reset board, as
// tests/cortex-m/run-m0-tests does: one case's heap, fragmented by its
// std::string transcripts, is then never the next one's.
int selected_case() {
    static char line[16];
    struct {
        char* buffer;
        std::uintptr_t size;
    } request{line, sizeof line};
    if (board::semihost(0x15, &request) != 0 || request.size == 0) return -1;
    return std::atoi(line);
}

int run_all() {
    const int only = selected_case();
    if (only >= g_count) {
        char none[48];
        std::snprintf(none, sizeof none, "m0: no case %d (%d cases)\n", only, g_count);
        print(none);
        return 3;
    }
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < g_count; ++i) {
        const TestCase& t = g_cases[i];
        if (only >= 0 && i != only) continue;
        if (too_big(t.name)) {
            print(t.name);
            print("\n  skipped: needs more RAM than this board has\n");
            ++skipped;
            continue;
        }
        board::paint_stack();
        print(t.name);  // first, so that a case that faults or aborts is named
        print("\n");
        bool ok = run_case(t.function);
        if (board::stack_overflowed()) {
            print("  the stack went past its reserve\n");
            ok = false;
        }
        print(ok ? "  ok\n" : "  FAILED\n");
        ++(ok ? passed : failed);
    }
    char summary[160];
    std::snprintf(summary, sizeof summary,
                  "m0: %d cases passed, %d failed, %d skipped; heap peak %u B of %u B, stack peak %u B\n", passed,
                  failed, skipped, static_cast<unsigned>(board::heap_peak()),
                  static_cast<unsigned>(board::heap_capacity()), static_cast<unsigned>(board::stack_peak()));
    print(summary);
    if (g_table_full) print("m0: more cases than the table holds (kMaxCases)\n");
    return failed == 0 && passed > 0 && !g_table_full ? 0 : 1;
}

}  // namespace doctest_lite

int main() { return doctest_lite::run_all(); }
