// DATA transparency through the whole client (RFC 5321 §4.5.2, docs/contributing.md
// invariant 2): whatever the body and however it is cut into pieces, every
// receiver — strict CRLF, one that also ends lines at a bare LF, one that
// also ends them at a bare CR — sees exactly one end of data, at the end,
// and un-stuffing gives the body with its line ends made CRLF.
#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "dot_reference.hpp"
#include "generators.hpp"

using namespace smtpcore;
using namespace smtpcore::test;

namespace {

// The data section the client sent for one message written in `pieces`.
std::string data_section(const std::string& body, const std::vector<std::size_t>& pieces) {
    Config config;
    config.client_name = "client.example";
    config.tls = TlsMode::None;
    ServerPlan server;
    server.eight_bit = true;  // bodies here hold any octet: declared 8BITMIME (RFC 6152)
    ModelServer model(server);
    MessagePlan plan;
    plan.rcpt = {ReplyPlan{}};
    model.expect(plan);
    CheckedSession s(config, 1024, &allocation_count);
    Dialogue dialogue(s, model, Chunking{{}, {}, pieces});
    dialogue.run_until_idle("");
    CheckedSession::Submission m{"a@example.org", {"b@example.net"}};
    m.eight_bit = true;
    s.submit(m);
    dialogue.run_until_idle(body);
    REQUIRE_MESSAGE(s.ok(), s.violation());
    const std::string& wire = s.wire();
    const std::size_t start = wire.find("DATA\r\n") + 6;
    const std::size_t end = wire.rfind("QUIT\r\n") == std::string::npos ? wire.size() : wire.rfind("QUIT\r\n");
    return wire.substr(start, end - start);
}

// Lines as a receiver splits them; `lf` and `cr` say which bare octets it
// also takes for a line end. Returns the index of every "." line.
std::vector<std::size_t> end_of_data_lines(const std::string& data, bool lf, bool cr, std::size_t& lines) {
    std::vector<std::size_t> dots;
    std::string line;
    lines = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const char c = data[i];
        bool end = false;
        if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') {
            ++i;
            end = true;
        } else if ((c == '\n' && lf) || (c == '\r' && cr)) {
            end = true;
        }
        if (!end) {
            line += c;
            continue;
        }
        if (line == ".") dots.push_back(lines);
        ++lines;
        line.clear();
    }
    return dots;
}

void check_body(const std::string& body, const std::vector<std::size_t>& pieces) {
    const std::string data = data_section(body, pieces);
    CHECK(data == reference_data_section(body));
    for (const auto& receiver : {std::pair{false, false}, std::pair{true, false}, std::pair{false, true}, std::pair{true, true}}) {
        const bool lf = receiver.first, cr = receiver.second;  // plain names: doctest's lambdas cannot capture bindings
        std::size_t lines = 0;
        const std::vector<std::size_t> dots = end_of_data_lines(data, lf, cr, lines);
        CHECK_MESSAGE(dots.size() == 1, "receiver lf=" << lf << " cr=" << cr);
        CHECK(!dots.empty());
        if (!dots.empty()) CHECK(dots[0] + 1 == lines);
    }
    // Un-stuffing (strict receiver): drop one leading dot per line.
    std::string unstuffed;
    for (std::size_t start = 0; start < data.size();) {
        const std::size_t eol = data.find("\r\n", start);
        std::string line = data.substr(start, eol - start);
        if (line == ".") break;
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        unstuffed += line + "\r\n";
        start = eol + 2;
    }
    std::string normalised = reference_stuffed_body(body);  // line ends made CRLF, then dots doubled...
    std::string expected;                                   // ...so undo the doubling the same way
    for (std::size_t start = 0; start < normalised.size();) {
        const std::size_t eol = normalised.find("\r\n", start);
        std::string line = normalised.substr(start, eol - start);
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        expected += line + "\r\n";
        start = eol + 2;
    }
    CHECK(unstuffed == expected);
}

}  // namespace

TEST_CASE("DATA transparency: the bodies that smuggle end of data elsewhere") {
    const std::string cases[] = {"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r\r\n.\r\n", std::string("a\0.\0\r\n.", 8),
                                 ".", "..", ".\r\n", "\r\n.\r\n", "x\r", "", "\r\n\r\n.\r\n\r\n"};
    for (const std::string& body : cases) {
        for (std::size_t piece : {0, 1, 2, 3}) {
            CAPTURE(body);
            CAPTURE(piece);
            check_body(body, piece == 0 ? std::vector<std::size_t>{} : std::vector<std::size_t>{piece});
        }
    }
}

TEST_CASE("property: every receiver sees one end of data, at the end, for any body and pieces") {
    CHECK(rc::check("data transparency", [] {
        const std::string body = *gen::body();
        const std::vector<std::size_t> pieces = *gen::sizes();
        check_body(body, pieces);
    }));
}
