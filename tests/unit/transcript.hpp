// Dialogue tests written like the examples in RFC 5321 (docs/contributing.md §10).
//
// A transcript is a list of lines:
//   S: <text>        the server sends <text> CRLF (adjacent S: lines form one flight)
//   A: <action>      the application acts: submit FROM TO... (also submit-8bit,
//                    submit-binary, submit-utf8, submit-size N), body TEXT, body-end,
//                    body-fail, reset, quit, abort, tls, close, time MS,
//                    feed-raw TEXT (server bytes without CRLF; \r \n \0 escapes)
//   C: <text>        expected: the client sent <text> CRLF
//   E: <event>       expected: the engine reported this event
//   R: <error>       expected: the action just before was refused with this error
// The runner plays S: and A: lines and records what the engine did as C:, E:
// and R: lines; the test compares that record with the whole transcript.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "smtpcore/client.hpp"

namespace smtpcore::test {

struct RunOptions {
    std::size_t input_chunk = 0;   ///< feed server bytes in pieces of this size (0: whole flights)
    std::size_t split_at = 0;      ///< with input_chunk == 0: split each flight once at this offset
    std::size_t ack_chunk = 0;     ///< acknowledge output in pieces of this size (0: all)
    std::size_t body_chunk = 0;    ///< write the body in pieces of this size (0: as large as the window)
    std::size_t storage = 2048;    ///< bytes of storage for the Client
    const AuthOptions* auth = nullptr;  ///< set: the Client is made with these AuthOptions
    std::string channel_binding;   ///< non-empty: "A: tls" hands it to tls_established()
};

struct RunResult {
    std::vector<std::string> log;  ///< S:, A:, C:, E:, R: lines as played and observed
    std::string wire;              ///< every byte the client sent
    std::size_t engine_allocations = 0;
    std::vector<int> flights;      ///< client flights between server flights (C: groups), per group sizes
};

std::vector<std::string> parse_transcript(const std::string& text);
RunResult run_transcript(const Config& config, const std::string& transcript, const RunOptions& options = {});

/// Runs the transcript with every input split the test can afford (every
/// chunk size up to 16, then every single split point of every flight),
/// several acknowledgement and body piece sizes, and checks that each run
/// produces the transcript exactly. Returns the first mismatch, or "".
std::string check_transcript(const Config& config, const std::string& transcript);

/// Number of client flights (maximal runs of C: lines) in a log.
int count_client_flights(const std::vector<std::string>& log);

/// The opening most dialogues share: greeting, EHLO, PIPELINING, Ready.
inline const std::string kPipeliningReady =
    "S: 220 mx ESMTP\n"
    "E: greeting 220\n"
    "C: EHLO client.example\n"
    "S: 250-mx\n"
    "S: 250 PIPELINING\n"
    "E: ready\n";

/// The same with CHUNKING offered as well (RFC 3030). A function, not a
/// global: every global string is heap the Cortex-M0+ board lacks.
inline std::string bdat_ready() {
    return "S: 220 mx ESMTP\n"
           "E: greeting 220\n"
           "C: EHLO client.example\n"
           "S: 250-mx\n"
           "S: 250-PIPELINING\n"
           "S: 250 CHUNKING\n"
           "E: ready\n";
}

/// The configs the dialogues use: EHLO name "client.example", plaintext.
inline Config plain_config() {
    Config c;
    c.client_name = "client.example";
    c.tls = TlsMode::None;
    return c;
}

/// The same with credentials user/secret ("AHVzZXIAc2VjcmV0" in PLAIN).
inline Config credentials_config(TlsMode tls) {
    Config c = plain_config();
    c.tls = tls;
    c.username = "user";
    c.password = "secret";
    return c;
}

}  // namespace smtpcore::test
