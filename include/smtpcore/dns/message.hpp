// smtpcore DNS — queries written and responses read (RFC 1035 §4.1).
//
// The writer builds one standard query with an optional EDNS0 OPT record
// (RFC 6891 §6.1.2). The reader checks the header counts against the length
// before it reads anything, walks the records without copying them, and
// checks each record's data length against its type. No heap, no copies of the
// message: records refer to offsets in the caller's bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/dns/name.hpp"
#include "smtpcore/dns/types.hpp"
#include "smtpcore/span.hpp"

namespace smtpcore::dns {

/// RFC 1035 §4.1.1.
struct Header {
    std::uint16_t id = 0;
    bool response = false;             ///< QR
    std::uint8_t opcode = 0;           ///< 0 = standard query
    bool authoritative = false;        ///< AA
    bool truncated = false;            ///< TC
    bool recursion_desired = false;    ///< RD
    bool recursion_available = false;  ///< RA
    std::uint8_t rcode = 0;            ///< low four bits (the OPT record's extension is not read)
    std::uint16_t questions = 0;
    std::uint16_t answers = 0;
    std::uint16_t authorities = 0;
    std::uint16_t additionals = 0;
};

/// How a query is written.
struct QuerySpec {
    std::uint16_t id = 0;
    const Name* name = nullptr;
    RrType type = RrType::A;
    std::uint16_t edns_udp_size = kDefaultEdnsSize;  ///< 0: no OPT record (plain RFC 1035)
};

/// The longest query write_query() produces: header, a 255-octet name, type
/// and class, and the 11-octet OPT record.
constexpr std::size_t kMaxQueryOctets = kHeaderOctets + kMaxNameOctets + 4 + 11;

/// Writes the query into `out` and returns its length, or 0 when `out` is
/// shorter than the query (kMaxQueryOctets always suffices) or no name is set.
std::size_t write_query(const QuerySpec& spec, MutableBytes out) noexcept;

/// Why a message was refused as a whole.
enum class ParseError : std::uint8_t {
    None,
    ShortHeader,      ///< fewer than 12 octets
    CountsTooLarge,   ///< the header counts need more octets than the message has
    BadName,          ///< a name broke read_name()'s rules
    Truncated,        ///< the message ends inside a question or record
    BadRdata,         ///< a record's data length does not fit its type
    QuestionCount,    ///< a response without exactly one question (RFC 1035 §7.3)
};

const char* to_string(ParseError error) noexcept;

/// Reads the 12-octet header, nothing else (ShortHeader when it is not there).
ParseError read_header(Bytes message, Header& out) noexcept;

/// Refuses counts that cannot fit: every question needs at least 5 octets and
/// every record 11, so a count of 65535 in a 40-octet packet is refused before
/// a single record is read (no work or memory scales with a count).
ParseError check_counts(const Header& header, std::size_t message_size) noexcept;

/// The section a record came from (RFC 1035 §4.1).
enum class Section : std::uint8_t { Answer, Authority, Additional };

/// One resource record (RFC 1035 §4.1.3), by position in the message.
struct Record {
    Section section = Section::Answer;
    std::uint16_t type = 0;
    std::uint16_t rr_class = 0;
    std::uint32_t ttl = 0;
    std::size_t rdata_offset = 0;
    std::uint16_t rdata_length = 0;
};

/// Walks a response: the question first, then every record in order.
class MessageReader {
public:
    /// `message` must outlive the reader. Check error() before anything else: the
    /// header and its counts are checked here.
    explicit MessageReader(Bytes message) noexcept;

    ParseError error() const noexcept { return error_; }
    const Header& header() const noexcept { return header_; }

    /// The single question (RFC 1035 §4.1.2). False, with error() set, when
    /// the message has not exactly one question or it is malformed.
    bool question(Name& name, std::uint16_t& type, std::uint16_t& rr_class) noexcept;

    /// The next record and its owner name; false at the end or on error
    /// (error() tells which). The data of A, AAAA, CNAME and MX records is
    /// checked here (RFC 1035 §3.3.1, §3.3.9, §3.4.1, RFC 3596 §2.2): a record
    /// of those types that returns true is well formed. Call question() first.
    bool next(Record& record, Name& owner) noexcept;

    /// Records left to read (answers + authorities + additionals).
    std::uint32_t remaining() const noexcept { return remaining_; }
    Bytes message() const noexcept { return message_; }
    /// Where the next question or record starts.
    std::size_t offset() const noexcept { return offset_; }

private:
    bool fail(ParseError error) noexcept;

    Bytes message_;
    Header header_;
    std::size_t offset_ = kHeaderOctets;
    std::uint32_t remaining_ = 0;
    std::uint32_t read_ = 0;
    bool question_read_ = false;
    ParseError error_ = ParseError::None;
};

/// Reads the record at `offset` (owner name, fixed fields, data) and moves
/// `offset` past it; the data of A, AAAA, CNAME and MX is checked as in
/// MessageReader::next(). On error `offset` is unchanged. The resolver uses
/// it to walk the answer section again when it reports records.
ParseError read_record(Bytes message, std::size_t& offset, Record& record, Name& owner) noexcept;

/// The name inside a CNAME's or MX's data (after the 2-octet preference for MX).
/// Only for records MessageReader::next() returned: their names are known good.
bool read_target(Bytes message, const Record& record, Name& out) noexcept;
/// An MX record's preference (RFC 1035 §3.3.9).
std::uint16_t mx_preference(Bytes message, const Record& record) noexcept;

}  // namespace smtpcore::dns
