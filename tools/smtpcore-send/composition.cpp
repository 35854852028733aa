#include "composition.hpp"

#include <cstring>

#include "header_options.hpp"
#include "smtpcore/adapters/host_clock.hpp"

namespace smtpcore::cli {
namespace {

// A few common types; anything else is application/octet-stream (RFC 2046 §4.5.1).
std::string content_type_for(const std::string& name) {
    static const struct { const char* ext; const char* type; } table[] = {
        {".txt", "text/plain"},        {".log", "text/plain"},        {".csv", "text/csv"},
        {".html", "text/html"},        {".htm", "text/html"},         {".pdf", "application/pdf"},
        {".json", "application/json"}, {".xml", "application/xml"},   {".zip", "application/zip"},
        {".gz", "application/gzip"},   {".tar", "application/x-tar"}, {".png", "image/png"},
        {".jpg", "image/jpeg"},        {".jpeg", "image/jpeg"},       {".gif", "image/gif"},
    };
    const auto dot = name.rfind('.');
    if (dot != std::string::npos) {
        std::string ext = name.substr(dot);
        for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const auto& row : table)
            if (ext == row.ext) return row.type;
    }
    return "application/octet-stream";
}

std::string basename_of(const std::string& path) {
#ifdef _WIN32
    const auto slash = path.find_last_of("/\\:");  // C:\dir\file, C:file, dir/file
#else
    const auto slash = path.rfind('/');
#endif
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// "text/plain; charset=iso-8859-1" -> type and charset (the only parameter taken).
void split_type(const std::string& spec, std::string& type, std::string& charset) {
    const auto semi = spec.find(';');
    type = spec.substr(0, semi);
    while (!type.empty() && type.back() == ' ') type.pop_back();
    if (semi == std::string::npos) return;
    std::string param = spec.substr(semi + 1);
    const auto eq = param.find('=');
    std::string key = param.substr(0, eq);
    key.erase(0, key.find_first_not_of(" \t"));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (eq == std::string::npos || key != "charset" || param.find(';', eq) != std::string::npos)
        throw UsageError{"--attach-type takes TYPE/SUBTYPE with at most a charset parameter, got '" + spec + "'"};
    charset = param.substr(eq + 1);
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') charset = charset.substr(1, charset.size() - 2);
}

// Every header octet could become an encoded word (RFC 2047: 4 octets per
// octet of base64 plus the "=?UTF-8?B?...?=" frame and folding), so this bounds
// the header fields and part heads without rendering them twice.
std::uint64_t text_allowance(const std::string& s) { return 4 * s.size() + 16; }

}  // namespace

Composition::Composition(const Options& o) {
    const bool rereads = o.count > 1;
    const HeaderChoices headers = sort_headers(o.headers);
    header_allowance_ = 2048 + text_allowance(o.subject) + text_allowance(o.from);
    for (const std::string& a : o.to) to_names_.push_back(split_named_address(a));
    for (const std::string& a : o.cc) cc_names_.push_back(split_named_address(a));
    for (const std::string& a : o.reply_to) reply_names_.push_back(split_named_address(a));
    for (const std::string& a : headers.reply_to) reply_names_.push_back(split_named_address(a));
    for (const auto* list : {&to_names_, &cc_names_, &reply_names_})
        for (const NamedAddress& a : *list) header_allowance_ += text_allowance(a.name) + a.address.size() + 4;
    for (const NamedAddress& a : to_names_) to_.push_back(mime::Mailbox{a.name, a.address});
    for (const NamedAddress& a : cc_names_) cc_.push_back(mime::Mailbox{a.name, a.address});
    for (const NamedAddress& a : reply_names_) reply_to_.push_back(mime::Mailbox{a.name, a.address});
    from_ = split_named_address(o.from);
    if (!headers.sender.empty()) sender_ = split_named_address(headers.sender);
    header_allowance_ += text_allowance(sender_.name) + sender_.address.size() + 16;
    in_reply_to_ids_ = headers.in_reply_to;
    reference_ids_ = headers.references;
    for (const std::string& id : in_reply_to_ids_) in_reply_to_.push_back(id);
    for (const std::string& id : reference_ids_) references_.push_back(id);
    for (const auto* ids : {&in_reply_to_ids_, &reference_ids_})
        for (const std::string& id : *ids) header_allowance_ += id.size() + 4;
    for (const auto& [name, value] : headers.custom) {
        header_names_.push_back(name);
        header_values_.push_back(value);
        header_allowance_ += name.size() + text_allowance(value);
    }
    for (std::size_t i = 0; i < header_names_.size(); ++i)
        headers_.push_back(mime::Header{header_names_[i], header_values_[i]});

    text_.content_type = "text/plain";
    if (!o.body_file.empty()) {
        body_file_ = std::make_unique<InputFile>(o.body_file, o.body_file == "-" ? "standard input" : "--body-file", rereads);
        text_.source = body_file_->source();
        // Standard input left empty beside attachments (cron, scripts): no text part.
        have_text_ = !(o.body_file == "-" && !o.attachments.empty() && body_file_->size() == std::uint64_t{0});
        if (body_file_->scan()) source_total_ += body_file_->scan()->size;
    } else if (o.have_body_text || o.attachments.empty()) {
        body_text_ = o.body_text;
        text_.data = as_bytes(body_text_);
        // Label it with what the octets are (an argument may come from a
        // Latin-1 locale), like a scanned file; the writer picks the encoding.
        text_.charset = scan_text(body_text_).charset();
        have_text_ = true;
        source_total_ += body_text_.size();
    }
    for (const Attachment& a : o.attachments) {
        files_.push_back(std::make_unique<InputFile>(a.path, "--attach", rereads));
        std::string name = a.name.empty() ? basename_of(a.path) : a.name;
        if (!is_utf8(name))
            throw DataError{"attachment file name of " + a.path + " is not valid UTF-8: give it a name with "
                            "--attach-name NAME before --attach"};
        std::string type, charset;
        split_type(a.type.empty() ? content_type_for(name) : a.type, type, charset);
        if (charset.empty()) charset = std::string(files_.back()->charset());
        header_allowance_ += 512 + 2 * text_allowance(name) + type.size() + charset.size();
        filenames_.push_back(std::move(name));
        types_.push_back(std::move(type));
        charsets_.push_back(charset.empty() ? "utf-8" : charset);
        if (files_.back()->scan()) source_total_ += files_.back()->scan()->size;
    }
    for (std::size_t i = 0; i < files_.size(); ++i) {
        mime::Part part;
        part.content_type = types_[i];
        part.charset = charsets_[i];
        part.filename = filenames_[i];
        part.disposition = mime::Disposition::Attachment;
        attachments_.push_back(part);
    }
    if (have_text_ && body_file_) text_.charset = body_file_->charset();

    const auto at = from_.address.rfind('@');
    domain_ = at == std::string::npos ? "localhost" : from_.address.substr(at + 1);
    date_ = headers.date ? *headers.date : adapters::local_now();
    message_id_ = headers.message_id;
    message_.from = mime::Mailbox{from_.name, from_.address};
    message_.smtputf8 = o.extensions.smtputf8;                // RFC 6532: UTF-8 addresses and names raw
    message_.tls_required_no = o.extensions.tls_required_no;  // RFC 8689 §5
    message_.sender = mime::Mailbox{sender_.name, sender_.address};
    message_.in_reply_to = Span<const std::string_view>(in_reply_to_.data(), in_reply_to_.size());
    message_.references = Span<const std::string_view>(references_.data(), references_.size());
    message_.to = Span<const mime::Mailbox>(to_.data(), to_.size());
    message_.cc = Span<const mime::Mailbox>(cc_.data(), cc_.size());
    message_.reply_to = Span<const mime::Mailbox>(reply_to_.data(), reply_to_.size());
    message_.subject = o.subject;
    message_.date = &date_;
    message_.message_id = message_id_;
    message_.message_id_domain = domain_;
    message_.headers = Span<const mime::Header>(headers_.data(), headers_.size());
    message_.text = have_text_ ? &text_ : nullptr;
    message_.attachments = Span<const mime::Part>(attachments_.data(), attachments_.size());
    fresh_randomness();
    choose_encodings(false);
}

mime::MimeError Composition::validate() {
    return writer_.start(message_);
}

std::string Composition::describe(const mime::MimeError& e) const {
    const std::string field = e.field;
    std::string value;
    auto pick = [&](const std::vector<mime::Mailbox>& list) {
        if (e.index < list.size()) value = std::string(list[e.index].address);
    };
    auto pick_id = [&](const std::vector<std::string>& ids) {
        if (e.index < ids.size()) value = ids[e.index];
    };
    if (field == "from") value = from_.address;
    else if (field == "sender") value = sender_.address;
    else if (field == "in-reply-to") pick_id(in_reply_to_ids_);
    else if (field == "references") pick_id(reference_ids_);
    else if (field == "to") pick(to_);
    else if (field == "cc") pick(cc_);
    else if (field == "reply-to") pick(reply_to_);
    else if (field.rfind("header", 0) == 0 && e.index < header_names_.size())
        value = header_names_[e.index] + ": " + header_values_[e.index];
    else if (field.rfind("attachment", 0) == 0 && e.index < filenames_.size()) value = filenames_[e.index];
    return field + (value.empty() ? "" : " '" + value + "'") + ": " + e.reason;
}

// Each copy gets its own Message-ID and boundaries.
void Composition::fresh_randomness() {
    adapters::random_octets(message_id_random_, sizeof message_id_random_);
    adapters::random_octets(boundary_random_, sizeof boundary_random_);
    message_.message_id_random = Bytes(reinterpret_cast<const char*>(message_id_random_), sizeof message_id_random_);
    message_.boundary_random = Bytes(reinterpret_cast<const char*>(boundary_random_), sizeof boundary_random_);
}

// From each scan (RFC 2045 §6): the body text goes 7bit when it is short-lined
// ASCII, 8bit when it is such UTF-8 and the server has 8BITMIME, else
// quoted-printable or base64, whichever the scan says is shorter; UTF-16 and
// text holding NUL go base64 octet for octet. An attachment must decode to
// exactly its bytes in every reader, so it always goes base64: 7bit parts
// and quoted-printable line breaks are read back differently by common
// decoders (the CRLF before a boundary, RFC 2046 §5.1.1, and text-mode line
// end conversion). A stream longer than InputFile's read-ahead is not
// scanned: body text quoted-printable, and no SIZE= (0).
void Composition::choose_encodings(bool eight_bit_mime) {
    std::uint64_t total = header_allowance_;
    bool known = true;
    if (have_text_ && body_file_) {
        if (const auto& s = body_file_->scan()) {
            const bool eight = s->utf8 && eight_bit_mime && s->non_ascii > 0;
            if (s->utf16_bom || s->nul) {
                text_.kind = mime::Kind::Binary;
                text_.encoding = mime::Encoding::Base64;
                total += base64_size(s->size);
            } else if (s->short_clean_lines() && (s->ascii() || eight)) {
                text_.encoding = s->ascii() ? mime::Encoding::SevenBit : mime::Encoding::EightBit;
                total += canonical_text_size(*s);
            } else if (s->qp_text_bound <= base64_size(canonical_text_size(*s))) {
                text_.encoding = mime::Encoding::QuotedPrintable;
                total += s->qp_text_bound;
            } else {
                text_.encoding = mime::Encoding::Base64;
                total += base64_size(canonical_text_size(*s));  // if the writer canonicalises text first
            }
        } else {
            known = false;
        }
    } else if (have_text_) {
        total += body_text_.size() * 3 + 2;  // a buffer: the writer scans it itself; QP at worst
    }
    for (std::size_t i = 0; i < files_.size(); ++i) {
        mime::Part& p = attachments_[i];
        p.kind = mime::Kind::Binary;
        p.encoding = mime::Encoding::Base64;
        p.source = files_[i]->source();
        if (const auto& s = files_[i]->scan()) total += base64_size(s->size);
        else known = false;
    }
    expected_ = known ? total : 0;
}

bool Composition::restart(const Capabilities& server) {
    if (copies_++ > 0) {
        unsigned char old_random[sizeof message_id_random_];
        std::memcpy(old_random, message_id_random_, sizeof old_random);
        // The header and content do not change between copies, only the
        // Message-ID: a copy sent whole is replayed with a fresh one (the
        // boundaries stay: they were checked against this very content).
        adapters::random_octets(message_id_random_, sizeof message_id_random_);
        const bool same_server = message_.eight_bit_mime == server.has(Extension::EightBitMime);
        replaying_ = same_server && replay_.replay(old_random, message_id_random_,
                                                   message_id_.empty() ? sizeof old_random : 0);
        if (replaying_) return true;
        fresh_randomness();  // composed again: fresh boundaries too
        if (body_file_ && !body_file_->rewind()) return false;
        for (auto& f : files_)
            if (!f->rewind()) return false;
    }
    message_.eight_bit_mime = server.has(Extension::EightBitMime);
    choose_encodings(message_.eight_bit_mime);
    return writer_.start(message_).ok();
}

std::uint64_t Composition::source_consumed() const {
    std::uint64_t n = body_file_ ? body_file_->consumed() : 0;
    for (const auto& f : files_) n += f->consumed();
    return n;
}

}  // namespace smtpcore::cli
