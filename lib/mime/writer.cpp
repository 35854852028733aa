// The writer's state machine: header segments, then per leaf part its head,
// its body (pulled from the part's source and encoded in place in the
// caller's window), its tail. State is O(1): which segment or part, how far.
#include "smtpcore/mime/writer.hpp"

#include <cstring>

#include "encoding_choice.hpp"
#include "layout.hpp"
#include "render.hpp"
#include "validate.hpp"

namespace smtpcore::mime {

MimeError MessageWriter::start(const Message& msg) noexcept {
    msg_ = nullptr;
    phase_ = Phase::Failed;
    error_ = detail::validate(msg);
    if (!error_.ok()) return error_;
    for (int c = detail::kMixed; c <= detail::kRelated; ++c) detail::make_boundary(boundary_[c], msg.boundary_random, c);
    const detail::Layout layout = detail::Layout::of(msg);
    // Every boundary is stem + one letter (make_boundary); a single part has none.
    stem_len_ = 0;
    if (layout.root() != detail::kNone) {
        while (boundary_[0][stem_len_ + 1] != '\0') ++stem_len_;
    }
    // RFC 2045 §6.4: a multipart holding an 8bit part is labelled 8bit.
    for (bool& e : eight_bit_) e = false;
    for (std::size_t i = 0; i < layout.leaves(); ++i) {
        const Part& p = layout.leaf(msg, i);
        if (const char* r = detail::check_part_encoding(p, msg.eight_bit_mime, boundary_stem())) {
            const std::size_t first_related = layout.text + layout.html;
            if (layout.is_attachment(i)) {
                error_ = MimeError{"attachment", r, i - first_related - layout.related};
            } else if (layout.is_related(i)) {
                error_ = MimeError{"related part", r, i - first_related};
            } else {
                error_ = MimeError{i < layout.text ? "text part" : "html part", r, 0};
            }
            return error_;
        }
        if (detail::choose_encoding(p, msg.eight_bit_mime, boundary_stem()) != TransferEncoding::EightBit) continue;
        for (int c = layout.parent_of_leaf(i); c != detail::kNone; c = layout.parent_of_container(c)) eight_bit_[c] = true;
    }
    msg_ = &msg;
    phase_ = Phase::Headers;
    item_ = 0;
    offset_ = 0;
    resume_ = detail::Checkpoint{};
    stage_pos_ = stage_len_ = 0;
    begin_part();  // leaf 0: a single-part message writes its headers at the top
    return error_;
}

void MessageWriter::begin_part() noexcept {
    const detail::Layout layout = detail::Layout::of(*msg_);
    const std::size_t leaf = phase_ == Phase::Headers ? 0 : item_;
    part_ = &layout.leaf(*msg_, leaf);
    enc_ = detail::choose_encoding(*part_, msg_->eight_bit_mime, boundary_stem());
    if (part_->source.read != nullptr) {
        src_ = part_->source;
    } else {
        buffer_ = BufferSource(part_->data);
        src_ = buffer_.source();
    }
    canonical_ = detail::canonical_line_breaks(*part_);
    b64_ = codec::Base64LineEncoder{};
    crlf_ = detail::CrlfCanonicaliser{};
    qp_ = codec::QpEncoder(canonical_ ? codec::QpEncoder::Mode::Text : codec::QpEncoder::Mode::Binary);
    lines_.reset(enc_ == TransferEncoding::EightBit, canonical_, boundary_[0], stem_len_);
    last_[0] = '\r';
    last_[1] = '\n';
    body_done_ = false;
}

ReadResult MessageWriter::fail(const char* field, const char* reason, std::size_t index) noexcept {
    error_ = MimeError{field, reason, index};
    phase_ = Phase::Failed;
    return ReadResult{0, ReadStatus::Failed};
}

// Renders the rest of the current segment into out[0, cap): from the last
// checkpoint the previous window reached (so each window costs its own size
// plus at most one list item, not the whole segment again).
std::size_t MessageWriter::render(char* out, std::size_t cap, bool& complete) noexcept {
    const detail::Layout layout = detail::Layout::of(*msg_);
    const detail::RenderInput in{*msg_, layout, boundary_, enc_, eight_bit_};
    detail::Sink sink(out, cap, offset_, resume_);
    if (phase_ == Phase::Headers) {
        detail::render_header(sink, in, item_);
    } else if (phase_ == Phase::PartHead) {
        detail::render_part_head(sink, in, item_);
    } else {
        detail::render_part_tail(sink, in, item_, last_[0] == '\r' && last_[1] == '\n');
    }
    complete = sink.complete();
    resume_ = complete ? detail::Checkpoint{} : sink.last_checkpoint();
    return sink.written();
}

// Reads part content into the tail of `region` and encodes it forward into
// the same region. Each encoder's input_for() bounds the input so that the
// encoded output, however it expands, ends before the unread input begins.
std::size_t MessageWriter::encode_into(char* region, std::size_t room, ReadStatus& status) noexcept {
    std::size_t n;
    switch (enc_) {
        case TransferEncoding::Base64:
            n = codec::Base64LineEncoder::input_for(room);
            if (canonical_) n /= 2;  // LF may become CRLF before encoding
            break;
        case TransferEncoding::QuotedPrintable: n = codec::QpEncoder::input_for(room); break;
        default: n = (room - 8) / 2; break;  // LF may become CRLF
    }
    char* in = region + room - n;
    ReadResult r = src_(MutableBytes(in, n));
    if (r.status == ReadStatus::Failed) {
        status = ReadStatus::Failed;
        return 0;
    }
    if (r.size > n) r.size = n;  // a misbehaving source cannot overrun us
    if (r.status == ReadStatus::Pending || (r.status == ReadStatus::Data && r.size == 0)) {
        status = ReadStatus::Pending;
        return 0;
    }
    std::size_t w = 0;
    switch (enc_) {
        case TransferEncoding::Base64: {
            // Text goes canonical CRLF in base64 too (RFC 2049 §4): the input
            // is canonicalised to just below itself, then encoded forward.
            const char* data = in;
            std::size_t size = r.size;
            if (canonical_) {
                char* canon = in - n;
                size = crlf_.update(in, r.size, canon);
                data = canon;
            }
            w = b64_.update(data, size, region);
            if (r.status == ReadStatus::End) w += b64_.finish(region + w);
            break;
        }
        case TransferEncoding::QuotedPrintable:
            w = qp_.update(in, r.size, region);
            if (r.status == ReadStatus::End) w += qp_.finish(region + w);
            break;
        default: {
            const long k = lines_.update(in, r.size, region);
            if (k < 0) {
                status = ReadStatus::Failed;
                return 0;
            }
            w = static_cast<std::size_t>(k);
            break;
        }
    }
    if (w >= 2) {
        last_[0] = region[w - 2];
        last_[1] = region[w - 1];
    } else if (w == 1) {
        last_[0] = last_[1];
        last_[1] = region[0];
    }
    body_done_ = r.status == ReadStatus::End;
    status = ReadStatus::Data;
    return w;
}

ReadResult MessageWriter::read(MutableBytes out) noexcept {
    if (phase_ == Phase::Failed) return ReadResult{0, ReadStatus::Failed};
    if (phase_ == Phase::Idle) return fail("writer", "start() was not called", 0);
    const std::size_t cap = out.size();
    std::size_t pos = 0;
    for (;;) {
        // Output staged for a window that was too small comes first.
        if (stage_pos_ < stage_len_) {
            std::size_t k = stage_len_ - stage_pos_;
            if (k > cap - pos) k = cap - pos;
            std::memcpy(out.data() + pos, stage_ + stage_pos_, k);
            pos += k;
            stage_pos_ = static_cast<std::uint16_t>(stage_pos_ + k);
            if (stage_pos_ < stage_len_) return ReadResult{pos, ReadStatus::Data};
        }
        if (phase_ == Phase::Done) return ReadResult{pos, ReadStatus::End};
        if (pos == cap) return ReadResult{pos, ReadStatus::Data};

        if (phase_ == Phase::Body) {
            if (body_done_) {
                phase_ = Phase::PartTail;
                continue;
            }
            const std::size_t room = cap - pos;
            ReadStatus status = ReadStatus::Data;
            if (room >= kMinInPlace) {
                pos += encode_into(out.data() + pos, room, status);
            } else if (pos > 0) {
                return ReadResult{pos, ReadStatus::Data};  // next call gets a fresh window
            } else {
                stage_len_ = static_cast<std::uint16_t>(encode_into(stage_, kStage, status));
                stage_pos_ = 0;
            }
            if (status == ReadStatus::Failed) {
                const char* reason = lines_.reason() != nullptr ? lines_.reason() : "the part's source failed";
                return fail("part body", reason, item_);
            }
            if (status == ReadStatus::Pending && stage_pos_ == stage_len_)
                return ReadResult{pos, pos > 0 ? ReadStatus::Data : ReadStatus::Pending};
            continue;
        }

        // Headers, PartHead, PartTail: rendered text segments.
        bool complete = false;
        const std::size_t w = render(out.data() + pos, cap - pos, complete);
        pos += w;
        if (!complete) {
            offset_ += w;
            continue;  // the window is full
        }
        offset_ = 0;
        const std::size_t leaves = detail::Layout::of(*msg_).leaves();
        if (phase_ == Phase::Headers) {
            if (++item_ == detail::header_segments(*msg_)) {
                phase_ = Phase::PartHead;
                item_ = 0;
            }
        } else if (phase_ == Phase::PartHead) {
            phase_ = Phase::Body;
        } else if (item_ + 1 < leaves) {
            ++item_;
            phase_ = Phase::PartHead;
            begin_part();
        } else {
            phase_ = Phase::Done;
        }
    }
}

}  // namespace smtpcore::mime
