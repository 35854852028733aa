// Responses read without trust (RFC 1035 §4.1): header counts against the
// length first, every name through read_name(), every record's data length
// against the message and against its type.
#include "smtpcore/dns/message.hpp"
#include "wire.hpp"

namespace smtpcore::dns {
namespace {

constexpr std::size_t kMinQuestion = 1 + 4;  // root name, QTYPE, QCLASS
constexpr std::size_t kMinRecord = 1 + 10;   // root name, TYPE, CLASS, TTL, RDLENGTH

// The data of the types the resolver uses must have exactly their shape.
bool rdata_fits_type(Bytes message, const Record& record) noexcept {
    switch (static_cast<RrType>(record.type)) {
    case RrType::A: return record.rdata_length == 4;      // RFC 1035 §3.4.1
    case RrType::AAAA: return record.rdata_length == 16;  // RFC 3596 §2.2
    case RrType::CNAME:                                   // RFC 1035 §3.3.1: one name
    case RrType::MX: {                                    // §3.3.9: preference, then a name
        const std::size_t skip = record.type == static_cast<std::uint16_t>(RrType::MX) ? 2 : 0;
        if (record.rdata_length < skip + 1) return false;
        std::size_t at = record.rdata_offset + skip;
        Name target;
        // The name may point back anywhere in the message, but its own octets
        // must end exactly where the data does.
        const Bytes upto(message.data(), record.rdata_offset + record.rdata_length);
        return read_name(upto, at, target) == NameError::None &&
               at == record.rdata_offset + record.rdata_length;
    }
    default: return true;
    }
}

}  // namespace

ParseError read_header(Bytes message, Header& out) noexcept {
    if (message.size() < kHeaderOctets) return ParseError::ShortHeader;
    const char* p = message.data();
    const std::uint16_t flags = wire::u16(p + 2);
    out.id = wire::u16(p);
    out.response = flags & 0x8000;
    out.opcode = static_cast<std::uint8_t>((flags >> 11) & 0xF);
    out.authoritative = flags & 0x0400;
    out.truncated = flags & 0x0200;
    out.recursion_desired = flags & 0x0100;
    out.recursion_available = flags & 0x0080;
    out.rcode = static_cast<std::uint8_t>(flags & 0xF);
    out.questions = wire::u16(p + 4);
    out.answers = wire::u16(p + 6);
    out.authorities = wire::u16(p + 8);
    out.additionals = wire::u16(p + 10);
    return ParseError::None;
}

ParseError check_counts(const Header& h, std::size_t message_size) noexcept {
    const std::uint64_t records = std::uint64_t(h.answers) + h.authorities + h.additionals;
    const std::uint64_t least = kHeaderOctets + h.questions * std::uint64_t(kMinQuestion) + records * kMinRecord;
    return least <= message_size ? ParseError::None : ParseError::CountsTooLarge;
}

ParseError read_record(Bytes message, std::size_t& offset, Record& record, Name& owner) noexcept {
    std::size_t at = offset;
    if (read_name(message, at, owner) != NameError::None) return ParseError::BadName;
    if (at + 10 > message.size()) return ParseError::Truncated;
    const char* p = message.data() + at;
    record.type = wire::u16(p);
    record.rr_class = wire::u16(p + 2);
    record.ttl = wire::u32(p + 4);
    record.rdata_length = wire::u16(p + 8);
    record.rdata_offset = at + 10;
    if (record.rdata_offset + record.rdata_length > message.size()) return ParseError::Truncated;
    if (!rdata_fits_type(message, record)) return ParseError::BadRdata;
    offset = record.rdata_offset + record.rdata_length;
    return ParseError::None;
}

MessageReader::MessageReader(Bytes message) noexcept : message_(message) {
    error_ = read_header(message, header_);
    if (error_ == ParseError::None) error_ = check_counts(header_, message.size());
    remaining_ = std::uint32_t(header_.answers) + header_.authorities + header_.additionals;
}

bool MessageReader::fail(ParseError error) noexcept {
    error_ = error;
    remaining_ = 0;
    return false;
}

bool MessageReader::question(Name& name, std::uint16_t& type, std::uint16_t& rr_class) noexcept {
    if (error_ != ParseError::None || question_read_) return false;
    question_read_ = true;
    // A response carries back the one question it answers (RFC 1035 §7.3).
    if (header_.questions != 1) return fail(ParseError::QuestionCount);
    if (read_name(message_, offset_, name) != NameError::None) return fail(ParseError::BadName);
    if (offset_ + 4 > message_.size()) return fail(ParseError::Truncated);
    type = wire::u16(message_.data() + offset_);
    rr_class = wire::u16(message_.data() + offset_ + 2);
    offset_ += 4;
    return true;
}

bool MessageReader::next(Record& record, Name& owner) noexcept {
    if (error_ != ParseError::None || !question_read_ || remaining_ == 0) return false;
    const ParseError e = read_record(message_, offset_, record, owner);
    if (e != ParseError::None) return fail(e);
    record.section = read_ < header_.answers                          ? Section::Answer
                     : read_ < header_.answers + header_.authorities ? Section::Authority
                                                                      : Section::Additional;
    ++read_;
    --remaining_;
    return true;
}

bool read_target(Bytes message, const Record& record, Name& out) noexcept {
    std::size_t at = record.rdata_offset + (record.type == static_cast<std::uint16_t>(RrType::MX) ? 2 : 0);
    return read_name(message, at, out) == NameError::None;
}

std::uint16_t mx_preference(Bytes message, const Record& record) noexcept {
    return wire::u16(message.data() + record.rdata_offset);
}

}  // namespace smtpcore::dns
