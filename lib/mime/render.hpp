// The non-body text of a message: header fields, part headers, delimiters.
// Each function renders one segment from the start; the Sink keeps only the
// part of it the current window needs (see sink.hpp).
#pragma once

#include <cstddef>

#include "layout.hpp"
#include "sink.hpp"
#include "smtpcore/mime/message.hpp"
#include "smtpcore/mime/writer.hpp"

namespace smtpcore::mime::detail {

struct RenderInput {
    const Message& msg;
    const Layout& layout;
    const char (*boundary)[24];    // per container, NUL-terminated
    TransferEncoding encoding;     // of the current leaf
    const bool* eight_bit;         // per container: holds an 8bit part
};

/// Number of top-level header segments (fields, then the root content headers
/// and the empty line that ends the header block).
std::size_t header_segments(const Message& m) noexcept;
/// Top-level header segment `k` (may render nothing, e.g. no Cc). Resumable
/// from the sink's checkpoint; stops early once the sink is full.
void render_header(Sink& s, const RenderInput& in, std::size_t k) noexcept;
/// Everything between the previous leaf's body and leaf `i`'s body:
/// delimiters, headers of containers that open here, the leaf's own headers.
void render_part_head(Sink& s, const RenderInput& in, std::size_t i) noexcept;
/// Close delimiters after leaf `i`; after the last leaf, the final CRLF
/// (`body_ended_crlf` says whether a single-part body already ended in one).
void render_part_tail(Sink& s, const RenderInput& in, std::size_t i, bool body_ended_crlf) noexcept;

/// Writes the boundary for container `c` ("=_" + hex of up to 8 random octets + "_" + tag).
void make_boundary(char (&out)[24], Bytes random, int c) noexcept;

}  // namespace smtpcore::mime::detail
