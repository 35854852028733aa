// smtpcore — the queue of outstanding commands: one record per line the
// engine has written, popped by the reply that answers it. Internal: not a
// stable API (docs/architecture.md, "The queue of outstanding commands").
#pragma once

#include <cstdint>
#include <cstring>

#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC

namespace smtpcore::detail {

/// What an outstanding line was. The greeting answers the connection itself.
enum class CommandKind : std::uint8_t {
    Greeting, Ehlo, Helo, StartTls, Auth, SaslResponse, Mail, Rcpt, Data, DataEnd, Rset, Quit,
    Bdat,      ///< a chunk of content, "BDAT n" (RFC 3030 §2)
    BdatLast,  ///< "BDAT n LAST": its reply is the message's final reply, like end of data's
};

/// One outstanding line: 4 bytes of caller storage, no alignment needed.
struct OutstandingCommand {
    CommandKind kind;
    std::uint8_t message;       // the message's number, modulo 256 (0 outside a transaction)
    std::uint8_t recipient[2];  // RCPT: the recipient's index, little-endian

    static OutstandingCommand make(CommandKind kind, std::uint32_t message = 0, std::uint32_t recipient = 0) noexcept {
        return OutstandingCommand{kind, static_cast<std::uint8_t>(message),
                                  {static_cast<std::uint8_t>(recipient), static_cast<std::uint8_t>(recipient >> 8)}};
    }
    std::uint32_t recipient_index() const noexcept { return recipient[0] | std::uint32_t(recipient[1]) << 8; }
};
static_assert(sizeof(OutstandingCommand) == 4, "the record is priced at 4 bytes in min_storage()");

/// A ring of records over caller storage (copied in and out: the storage is
/// plain bytes). Records [0, handed) were handed out
/// by send_buf() and wait for their reply; records [handed, length) are
/// written into the send buffer but not handed out yet (cancel() may drop them).
struct CommandQueue {
    std::uint8_t head = 0;
    std::uint8_t length = 0;
    std::uint8_t handed = 0;

    bool full(std::uint8_t capacity) const noexcept { return length >= capacity; }
    void push(char* slots, std::uint8_t capacity, OutstandingCommand record) noexcept {
        unsigned tail = head + length;
        if (tail >= capacity) tail -= capacity;
        std::memcpy(slots + tail * sizeof record, &record, sizeof record);
        ++length;
    }
    OutstandingCommand pop(const char* slots, std::uint8_t capacity) noexcept {
        OutstandingCommand record;
        std::memcpy(&record, slots + head * sizeof record, sizeof record);
        if (++head == capacity) head = 0;
        --length;
        --handed;
        return record;
    }
    /// Drops the records of lines not handed out; returns how many.
    std::uint8_t drop_unhanded() noexcept {
        const std::uint8_t dropped = static_cast<std::uint8_t>(length - handed);
        length = handed;
        return dropped;
    }
    void clear() noexcept { head = length = handed = 0; }
};

}  // namespace smtpcore::detail

SMTPCORE_END_PUBLIC
