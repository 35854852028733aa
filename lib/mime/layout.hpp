// The MIME tree of a message (RFC 2046 §5.1), computed from counts in O(1).
//
// Leaves in writing order: [text] [html] [related...] [attachments...]
// Containers, outermost first, each present only when needed:
//   mixed        (attachments)            — RFC 2046 §5.1.3
//   alternative  (text and html)          — RFC 2046 §5.1.4
//   related      (html and inline parts)  — RFC 2387
// so the deepest tree is mixed[ alternative[ text, related[ html, inline… ] ], attachment… ].
#pragma once

#include <cstddef>

#include "smtpcore/mime/message.hpp"

namespace smtpcore::mime::detail {

enum Container : int { kMixed = 0, kAlternative = 1, kRelated = 2, kNone = -1 };

struct Layout {
    std::size_t text = 0, html = 0, related = 0, attachments = 0;
    bool has[3] = {false, false, false};

    static Layout of(const Message& m) noexcept;

    std::size_t leaves() const noexcept { return text + html + related + attachments; }
    const Part& leaf(const Message& m, std::size_t i) const noexcept;
    bool is_attachment(std::size_t i) const noexcept { return i >= text + html + related; }
    bool is_related(std::size_t i) const noexcept { return i >= text + html && !is_attachment(i); }

    /// The outermost container, or kNone for a single-part message.
    int root() const noexcept;
    int parent_of_container(int c) const noexcept;
    int parent_of_leaf(std::size_t i) const noexcept;
    bool opens_at(int c, std::size_t i) const noexcept;
    bool closes_at(int c, std::size_t i) const noexcept;
};

/// "mixed", "alternative", "related".
const char* container_subtype(int c) noexcept;

}  // namespace smtpcore::mime::detail
