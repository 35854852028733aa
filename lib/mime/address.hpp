// Addresses and identifiers in header fields (RFC 5322 §3.4, §3.6.4).
#pragma once

#include <string_view>

#include "smtpcore/mime/message.hpp"
#include "sink.hpp"

namespace smtpcore::mime::detail {

/// nullptr when `addr` is an acceptable addr-spec, else the reason. UTF-8
/// (RFC 6532 §3.2) only with `utf8`.
const char* check_addr_spec(std::string_view addr, bool utf8 = false) noexcept;
/// nullptr when `name` is an acceptable display name, else the reason.
const char* check_display_name(std::string_view name) noexcept;
/// nullptr when `id` ("left@right", optionally in <>) is an acceptable msg-id.
const char* check_msg_id(std::string_view id) noexcept;
/// nullptr when `domain` is a dot-atom-text or a [literal] usable as a msg-id right part.
const char* check_id_domain(std::string_view domain) noexcept;

/// `id` without surrounding angle brackets, if it has them.
std::string_view strip_angles(std::string_view id) noexcept;

/// Writes " name <addr>, name2 <addr2>" after a field name, folding between
/// mailboxes and between the words of a display name. Resumable: records
/// checkpoints between mailboxes and stops when the sink is full. With
/// `utf8` (RFC 6532) UTF-8 display names go raw.
void put_mailbox_list(Sink& sink, Span<const Mailbox> list, bool utf8 = false) noexcept;

}  // namespace smtpcore::mime::detail
