#include "layout.hpp"

namespace smtpcore::mime::detail {
namespace {
// The body of a message that has no text, html or attachment: empty text/plain.
const Part kEmptyText{};
}  // namespace

Layout Layout::of(const Message& m) noexcept {
    Layout l;
    l.html = m.html != nullptr ? 1 : 0;
    l.related = l.html ? m.related.size() : 0;
    l.attachments = m.attachments.size();
    l.text = (m.text != nullptr || (l.html == 0 && l.attachments == 0)) ? 1 : 0;
    l.has[kMixed] = l.attachments > 0;
    l.has[kAlternative] = l.text && l.html;
    l.has[kRelated] = l.related > 0;
    return l;
}

const Part& Layout::leaf(const Message& m, std::size_t i) const noexcept {
    if (i < text) return m.text != nullptr ? *m.text : kEmptyText;
    i -= text;
    if (i < html) return *m.html;
    i -= html;
    if (i < related) return m.related[i];
    return m.attachments[i - related];
}

int Layout::root() const noexcept {
    for (int c = kMixed; c <= kRelated; ++c)
        if (has[c]) return c;
    return kNone;
}

int Layout::parent_of_container(int c) const noexcept {
    for (int p = c - 1; p >= kMixed; --p)
        if (has[p]) return p;
    return kNone;
}

int Layout::parent_of_leaf(std::size_t i) const noexcept {
    if (is_attachment(i)) return kMixed;
    if (is_related(i)) return kRelated;
    if (i < text) return has[kAlternative] ? kAlternative : has[kMixed] ? kMixed : kNone;
    // the html leaf
    return has[kRelated] ? kRelated : parent_of_container(kRelated);
}

bool Layout::opens_at(int c, std::size_t i) const noexcept {
    if (!has[c]) return false;
    return c == kRelated ? i == text : i == 0;  // related starts at the html leaf
}

bool Layout::closes_at(int c, std::size_t i) const noexcept {
    if (!has[c]) return false;
    // alternative and related both end at the last leaf before the attachments.
    return c == kMixed ? i + 1 == leaves() : i + 1 == text + html + related;
}

const char* container_subtype(int c) noexcept {
    return c == kMixed ? "mixed" : c == kAlternative ? "alternative" : "related";
}

}  // namespace smtpcore::mime::detail
