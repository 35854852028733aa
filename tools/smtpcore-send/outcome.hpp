// smtpcore-send: from what happened to the exit code and the words on stderr.
#pragma once

#include <string>

#include "smtpcore/adapters/blocking.hpp"

namespace smtpcore::cli {

/// What the session produced, as the CLI judges it.
struct SessionSummary {
    std::vector<adapters::MessageReport> messages;
    /// How many consecutive messages each report stands for (--count copies
    /// that went alike, report_runs.hpp); empty: one each.
    std::vector<std::uint32_t> repeats;
    Error error;                                   ///< the engine's fatal error
    std::uint16_t closing_code = 0;                ///< code of a Closed event (421) or refused greeting
    std::string closing_text;
    adapters::TransportFailure transport = adapters::TransportFailure::None;
    std::string transport_error;
    bool quit_sent = false;                        ///< Driver::quit_sent(): every outcome is final
    std::string close_problem;                     ///< Driver::close_problem(): a warning only
    unsigned wanted = 1;                           ///< messages the user asked for

    /// Messages started (the sum of `repeats`).
    std::size_t message_count() const;
    /// How many messages messages[i] stands for.
    std::uint32_t repeats_of(std::size_t i) const { return i < repeats.size() ? repeats[i] : 1; }
};

/// Prints per-message and per-recipient reports for anything not delivered
/// (and, when `verbose`, for what was) and returns the sysexits code.
int report_and_exit_code(const SessionSummary& summary, bool verbose);

}  // namespace smtpcore::cli
