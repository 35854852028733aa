// docs/state-machine.md lists the transitions of lib/core/transitions.cpp:
// the same (from, to) pairs, no more and no fewer.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "transitions.hpp"

using namespace smtpcore;

namespace {

using Pair = std::pair<std::string, std::string>;

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Rows of the table under "## Transitions": "| from | to | on |".
std::multiset<Pair> documented() {
    std::ifstream in(std::string(SMTPCORE_SOURCE_DIR) + "/docs/state-machine.md");
    std::multiset<Pair> rows;
    bool in_section = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("## ", 0) == 0) in_section = line == "## Transitions";
        if (!in_section || line.rfind("| ", 0) != 0 || line.rfind("| from |", 0) == 0) continue;
        std::istringstream cells(line.substr(1));
        std::string from, to;
        std::getline(cells, from, '|');
        std::getline(cells, to, '|');
        rows.insert({trim(from), trim(to)});
    }
    return rows;
}

std::multiset<Pair> in_code() {
    std::multiset<Pair> rows;
    for (std::size_t i = 0; i < detail::kTransitionCount; ++i)
        rows.insert({to_string(detail::kTransitions[i].from), to_string(detail::kTransitions[i].to)});
    return rows;
}

std::string show(const std::multiset<Pair>& rows) {
    std::string s;
    for (const Pair& p : rows) s += "  " + p.first + " -> " + p.second + "\n";
    return s;
}

}  // namespace

TEST_CASE("docs/state-machine.md and the transition table in the code agree") {
    const auto doc = documented();
    const auto code = in_code();
    REQUIRE(code.size() > 20);
    std::multiset<Pair> only_doc, only_code;
    for (const Pair& p : doc)
        if (code.count(p) == 0) only_doc.insert(p);
    for (const Pair& p : code)
        if (doc.count(p) == 0) only_code.insert(p);
    INFO("only in the document:\n" << show(only_doc) << "only in the code:\n" << show(only_code));
    CHECK(only_doc.empty());
    CHECK(only_code.empty());
    CHECK(doc.size() == code.size());  // no row twice
}

TEST_CASE("the transition table: every state can fail, and only Closed and Failed are final") {
    for (int s = 0; s <= int(SessionState::Quit); ++s) {
        const auto state = static_cast<SessionState>(s);
        CAPTURE(to_string(state));
        CHECK(detail::transition_listed(state, SessionState::Failed));
        CHECK_FALSE(detail::transition_listed(SessionState::Closed, state));
        CHECK_FALSE(detail::transition_listed(SessionState::Failed, state));
    }
}
