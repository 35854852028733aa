// Regressions found by the fuzz targets (fuzz/, docs/fuzzing.md). Each case
// names its seed in fuzz/corpus/<target>/regress-<name>, which replays the
// original finding under the sanitizers.
#include <doctest/doctest.h>

#include <string>

#include "transcript.hpp"

using namespace smtpcore;
using smtpcore::test::check_transcript;

namespace {

Config plain() {
    Config c;
    c.client_name = "client.example";
    c.tls = TlsMode::None;
    return c;
}

}  // namespace

// fuzz/corpus/session/regress-feed-empty-window: feed() copied into the
// empty receive window of an ended session with memcpy(nullptr, ..., 0),
// which is undefined behaviour (UBSan). It must take nothing and say so.
TEST_CASE("regress-feed-empty-window: feed() after the end takes nothing") {
    CHECK(check_transcript(plain(), R"T(
S: 554 5.3.2 no service
E: error 554 5.3.2 [refused] "no service"
C: QUIT
A: feed-raw 250 bytes after the end\r\n
)T") == "");
    StaticClient<1024> c(plain());
    c.abort();
    CHECK(c.feed("250 ok\r\n") == 0);
    Config implicit = plain();
    implicit.tls = TlsMode::Implicit;
    StaticClient<1024> waiting(implicit);  // no input before the TLS handshake
    CHECK(waiting.feed("220 early\r\n") == 0);
}
