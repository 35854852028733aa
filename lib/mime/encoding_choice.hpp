// Choosing a Content-Transfer-Encoding (RFC 2045 §6) for a part; the rule is
// spelled out in docs/mime.md.
#pragma once

#include "smtpcore/mime/message.hpp"
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::mime::detail {

/// Text or Binary for `p` (Auto resolved from the content type).
Kind resolve_kind(const Part& p) noexcept;

/// The encoding to write `p` with. Buffers are scanned; streams are not, so
/// Auto gives them quoted-printable (text) or base64 (binary).
TransferEncoding choose_encoding(const Part& p, bool eight_bit_mime) noexcept;

}  // namespace smtpcore::mime::detail
