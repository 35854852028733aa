#include "transitions.hpp"

#include <cstdint>

namespace smtpcore::detail {

using S = SessionState;

// Ending states: any state but Closed and Failed may fail (a broken reply, a
// bound, a timeout, a lost connection, abort()) and any state that reads may
// close on 421 (RFC 5321 §3.8); those rows are listed once per state below.
constexpr Transition kTransitions[] = {
    {S::AwaitTls, S::Greeting},  // tls_established() (TlsMode::Implicit)
    {S::Greeting, S::Ehlo},  // 220: send EHLO
    {S::Greeting, S::Quit},  // 220 after quit(): send QUIT
    {S::Ehlo, S::Helo},  // 5xx, TLS not required or up: send HELO (RFC 5321 §3.2)
    {S::Ehlo, S::StartTls},  // 250, not secure, STARTTLS wanted and offered
    {S::Ehlo, S::Auth},  // 250, credentials set: send AUTH
    {S::Ehlo, S::Ready},  // 250, nothing more to set up
    {S::Ehlo, S::Quit},  // 250 after quit(): send QUIT
    {S::Helo, S::Auth},  // 250, credentials set: send AUTH
    {S::Helo, S::Ready},  // 250
    {S::Helo, S::Quit},  // 250 after quit(): send QUIT
    {S::StartTls, S::TlsHandshake},  // 220: StartTls event, the host runs the handshake
    {S::StartTls, S::Ready},  // refused, TlsMode::Opportunistic: go on in plaintext
    {S::TlsHandshake, S::Ehlo},  // tls_established(): forget capabilities, send EHLO
    {S::TlsHandshake, S::Quit},  // tls_established() after quit(): send QUIT
    {S::Auth, S::Ready},  // 235
    {S::Auth, S::Quit},  // the failure reply after *, once quit() was called: send QUIT
    {S::Ready, S::Envelope},  // submit(): MAIL, RCPT..., DATA (pipelined when offered)
    {S::Ready, S::Quit},  // quit(): send QUIT
    {S::Envelope, S::Body},  // 354 to DATA: BodyWanted (or a lone . when no recipient was accepted); BDAT: the envelope is written (or answered), BodyWanted
    {S::Envelope, S::Rset},  // failed or cancelled transaction drained, MAIL accepted: send RSET
    {S::Envelope, S::Ready},  // failed or cancelled transaction drained, MAIL refused or never sent: MessageRejected
    {S::Body, S::DataEnd},  // body_end(): the end-of-data marker (or BDAT LAST) is written
#ifndef SMTPCORE_NO_CHUNKING
    {S::Body, S::Rset},  // BDAT: failed during the body, body_end() called, every line answered, MAIL accepted: send RSET
    {S::Body, S::Ready},  // BDAT: the same, MAIL refused: MessageRejected
    {S::Body, S::Envelope},  // BDAT: the same, MAIL refused, a message submitted ahead: it becomes current
    {S::DataEnd, S::Body},  // BDAT reply to end of data, the next message's content already flowing (messages_in_flight > 1)
    {S::DataEnd, S::Rset},  // BDAT LAST refused (or after a failure), MAIL accepted, no next MAIL in flight: send RSET
    {S::Rset, S::Envelope},  // 2xx to RSET, a message submitted ahead: it becomes current
#endif
    {S::DataEnd, S::Ready},  // reply to end of data: MessageAccepted or MessageRejected
    {S::DataEnd, S::Envelope},  // reply to end of data, a message submitted ahead: it becomes current
    {S::Rset, S::Ready},  // 2xx to RSET: MessageRejected (the stored reason)
    {S::Ready, S::Closed},  // connection_closed() or 421
    {S::Quit, S::Closed},  // any reply to QUIT, or connection_closed()
    // 421 closes every state that reads; an Error event ends every state.
    {S::Greeting, S::Closed},  // 421
    {S::Ehlo, S::Closed},  // 421
    {S::Helo, S::Closed},  // 421
    {S::StartTls, S::Closed},  // 421
    {S::Auth, S::Closed},  // 421
    {S::Envelope, S::Closed},  // 421: the message is rejected (temporary)
    {S::Body, S::Closed},  // 421: the message is rejected (temporary)
    {S::DataEnd, S::Closed},  // 421: rejected (the reply to end of data) or, before the marker left, rejected (temporary)
    {S::Rset, S::Closed},  // 421
    {S::AwaitTls, S::Failed},  // fatal error
    {S::Greeting, S::Failed},  // fatal error
    {S::Ehlo, S::Failed},  // fatal error
    {S::Helo, S::Failed},  // fatal error
    {S::StartTls, S::Failed},  // fatal error
    {S::TlsHandshake, S::Failed},  // fatal error (any byte received: response injection)
    {S::Auth, S::Failed},  // fatal error
    {S::Ready, S::Failed},  // fatal error
    {S::Envelope, S::Failed},  // fatal error
    {S::Body, S::Failed},  // fatal error (a body line over 998 octets, 8-bit in a 7-bit body, body_fail(), cancel())
    {S::DataEnd, S::Failed},  // fatal error (unknown once the marker left)
    {S::Rset, S::Failed},  // fatal error (RSET refused)
    {S::Quit, S::Failed},  // fatal error
};

const std::size_t kTransitionCount = sizeof kTransitions / sizeof kTransitions[0];

namespace {

constexpr std::size_t kStates = static_cast<std::size_t>(S::Failed) + 1;
static_assert(kStates <= 16, "one 16-bit set of next states per state");

// For each state, the set of states it may enter (bit n: SessionState n),
// computed from kTransitions at compile time, so the check is one load and
// one test instead of a scan of the table on every state change.
struct NextStates {
    std::uint16_t of[kStates];
};

constexpr NextStates next_states() noexcept {
    NextStates sets{};
    for (const Transition& t : kTransitions)
        sets.of[static_cast<std::size_t>(t.from)] =
            static_cast<std::uint16_t>(sets.of[static_cast<std::size_t>(t.from)] | 1u << static_cast<unsigned>(t.to));
    return sets;
}

constexpr NextStates kNextStates = next_states();

}  // namespace

bool transition_listed(SessionState from, SessionState to) noexcept {
    const auto f = static_cast<std::size_t>(from);
    const auto t = static_cast<unsigned>(to);
    return f < kStates && t < kStates && (kNextStates.of[f] >> t & 1u) != 0;
}

}  // namespace smtpcore::detail
