// Every state change the engine may make, as one table (h11-style). Internal.
//
// Each row's cause is a comment here and a column in docs/state-machine.md.
// Client::enter() refuses a change that is not listed here (the session then
// fails with an "engine bug" Misuse error, which every test would catch), and
// tests/unit/test_state_table.cpp checks docs/state-machine.md against it, so
// the code, this table and the document cannot drift apart.
#pragma once

#include <cstddef>

#include "smtpcore/client.hpp"

namespace smtpcore::detail {

struct Transition {
    SessionState from;
    SessionState to;
};

extern const Transition kTransitions[];
extern const std::size_t kTransitionCount;

bool transition_listed(SessionState from, SessionState to) noexcept;

}  // namespace smtpcore::detail
