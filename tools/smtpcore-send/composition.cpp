#include "composition.hpp"

#include <ctime>
#include <fstream>
#include <random>

namespace smtpcore::cli {
namespace {

// A few common types; anything else is application/octet-stream (RFC 2046 §4.5.1).
std::string_view content_type_for(const std::string& name) {
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
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

mime::DateTime now_local() {
    const std::time_t t = std::time(nullptr);
    std::tm local{};
    localtime_r(&t, &local);
    return mime::date_from_unix(static_cast<std::int64_t>(t), static_cast<int>(local.tm_gmtoff / 60));
}

}  // namespace

Composition::Composition(const Options& o) {
    for (const std::string& a : o.to) to_names_.push_back(split_named_address(a));
    for (const std::string& a : o.cc) cc_names_.push_back(split_named_address(a));
    for (const NamedAddress& a : to_names_) to_.push_back(mime::Mailbox{a.name, a.address});
    for (const NamedAddress& a : cc_names_) cc_.push_back(mime::Mailbox{a.name, a.address});
    from_ = split_named_address(o.from);
    for (const std::string& h : o.headers) {
        const auto colon = h.find(':');
        if (colon == std::string::npos || colon == 0) throw UsageError{"--header needs 'Name: value', got '" + h + "'"};
        header_names_.push_back(h.substr(0, colon));
        const auto start = h.find_first_not_of(" \t", colon + 1);
        header_values_.push_back(start == std::string::npos ? "" : h.substr(start));
    }
    for (std::size_t i = 0; i < header_names_.size(); ++i)
        headers_.push_back(mime::Header{header_names_[i], header_values_[i]});

    expected_ = 1024;  // header fields, boundaries
    if (!o.body_file.empty()) {
        body_file_ = std::make_unique<adapters::FileSource>(o.body_file);
        if (!body_file_->ok()) throw InputMissing{body_file_->error()};
        text_.source = body_file_->source();
        have_text_ = true;
        expected_ += body_file_->size() + body_file_->size() / 20;  // quoted-printable slack
    } else if (o.have_body_text || o.attachments.empty()) {
        body_text_ = o.body_text;
        text_.data = as_bytes(body_text_);
        have_text_ = true;
        expected_ += body_text_.size();
    }
    for (const std::string& path : o.attachments) {
        auto file = std::make_unique<adapters::FileSource>(path);
        if (!file->ok()) throw InputMissing{file->error()};
        expected_ += file->size() * 137 / 100;  // base64 with 76-column lines
        files_.push_back(std::move(file));
        filenames_.push_back(basename_of(path));
    }
    for (std::size_t i = 0; i < files_.size(); ++i) {
        mime::Part part;
        part.content_type = content_type_for(filenames_[i]);
        part.source = files_[i]->source();
        part.filename = filenames_[i];
        part.disposition = mime::Disposition::Attachment;
        attachments_.push_back(part);
    }

    const auto at = from_.address.rfind('@');
    domain_ = at == std::string::npos ? "localhost" : from_.address.substr(at + 1);
    date_ = now_local();
    message_.from = mime::Mailbox{from_.name, from_.address};
    message_.to = Span<const mime::Mailbox>(to_.data(), to_.size());
    message_.cc = Span<const mime::Mailbox>(cc_.data(), cc_.size());
    message_.subject = o.subject;
    message_.date = &date_;
    message_.message_id_domain = domain_;
    message_.headers = Span<const mime::Header>(headers_.data(), headers_.size());
    message_.text = have_text_ ? &text_ : nullptr;
    message_.attachments = Span<const mime::Part>(attachments_.data(), attachments_.size());
    fresh_randomness();
}

mime::MimeError Composition::validate() {
    return writer_.start(message_);
}

// Each copy gets its own Message-ID and boundaries.
void Composition::fresh_randomness() {
    std::random_device random;
    for (auto& b : message_id_random_) b = static_cast<unsigned char>(random());
    for (auto& b : boundary_random_) b = static_cast<unsigned char>(random());
    message_.message_id_random = Bytes(reinterpret_cast<const char*>(message_id_random_), sizeof message_id_random_);
    message_.boundary_random = Bytes(reinterpret_cast<const char*>(boundary_random_), sizeof boundary_random_);
}

bool Composition::restart(const Capabilities& server) {
    fresh_randomness();
    message_.eight_bit_mime = server.has(Extension::EightBitMime);
    if (body_file_ && !body_file_->rewind()) return false;
    for (auto& f : files_)
        if (!f->rewind()) return false;
    return writer_.start(message_).ok();
}

}  // namespace smtpcore::cli
