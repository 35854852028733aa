// smtpcore-send: --header fields and address lists, sorted into what the
// MIME writer takes (custom fields, Reply-To, a given Date or Message-ID)
// or refused with the reason, before connecting.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "smtpcore/mime/message.hpp"

namespace smtpcore::cli {

struct HeaderChoices {
    std::vector<std::pair<std::string, std::string>> custom;  ///< name, value
    std::vector<std::string> reply_to;                        ///< addresses ("Name <a@b>")
    std::optional<mime::DateTime> date;                       ///< --header 'Date: ...'
    std::string message_id;                                   ///< --header 'Message-ID: ...'
    std::string sender;                                       ///< --header 'Sender: ...' ("Name <a@b>")
    /// --header 'In-Reply-To: ...' / 'References: ...': the msg-ids, in order,
    /// for the writer's own fields (RFC 5322 §3.6.4: written as given, never encoded).
    std::vector<std::string> in_reply_to, references;
};

/// Sorts "Name: value" fields. Throws UsageError naming the field for a
/// malformed one, Return-Path (RFC 5321 §4.4: the delivering server adds it),
/// Bcc and the fields the writer owns (From, To, Cc, Subject, MIME-Version).
/// Sender (one mailbox), In-Reply-To and References go to the writer's
/// first-class fields.
HeaderChoices sort_headers(const std::vector<std::string>& fields);

/// An RFC 5322 §3.4 address-list split at top-level commas: commas inside
/// quoted strings, comments and angle brackets stay ("\"Doe, J\" <j@x>, k@y").
std::vector<std::string> split_address_list(const std::string& list);

/// RFC 5322 §3.3 date-time ("Mon, 23 Nov 2026 10:00:00 +0000", day optional).
std::optional<mime::DateTime> parse_date(const std::string& text);

}  // namespace smtpcore::cli
