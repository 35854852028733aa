// Internationalized headers (RFC 6532) and TLS-Required (RFC 8689 §5).
// With Message::smtputf8 UTF-8 addresses and display names go raw; without
// it display names are RFC 2047 encoded-words and a UTF-8 address is refused.
#include <doctest/doctest.h>
#include <smtpcore/mime/writer.hpp>

#include <string>

#include "samples.hpp"

using namespace smtpcore;
using namespace smtpcore::mime;
namespace mt = smtpcore::mime::test;

namespace {

MimeError start_error(const Message& m) {
    MessageWriter w;
    return w.start(m);
}

// The header block, unfolded lines joined as written.
std::string header_block(const std::string& message) { return message.substr(0, message.find("\r\n\r\n") + 2); }

const Part kText = [] {
    Part p;
    p.data = as_bytes("hello\n");
    return p;
}();

}  // namespace

TEST_CASE("RFC 6532 off: a UTF-8 address is refused with a clear reason, names are encoded-words") {
    Message m;
    m.text = &kText;
    m.from = Mailbox{"J\xc3\xb6ran", "jo@example.org"};
    const std::string out = mt::write_all(m);
    CHECK(out.find("From: =?UTF-8?") != std::string::npos);
    m.from = Mailbox{"", "j\xc3\xb6ran@b\xc3\xbc" "cher.example"};
    const MimeError e = start_error(m);
    CHECK(std::string(e.field) == "from");
    CHECK(std::string(e.reason).find("needs SMTPUTF8") != std::string::npos);
    const Mailbox to[] = {{"", "ok@example.org"}, {"", "\xe7\x94\xa8\xe6\x88\xb7@example.org"}};
    m.from = Mailbox{"", "a@example.org"};
    m.to = Span<const Mailbox>(to, 2);
    CHECK(std::string(start_error(m).field) == "to");
    CHECK(start_error(m).index == 1);
}

TEST_CASE("RFC 6532 on: UTF-8 addresses and display names are written raw, no encoded-words") {
    Message m;
    m.text = &kText;
    m.smtputf8 = true;
    m.from = Mailbox{"J\xc3\xb6ran M\xc3\xbcller", "j\xc3\xb6ran@b\xc3\xbc" "cher.example"};
    const Mailbox to[] = {{"\xe7\x94\xa8\xe6\x88\xb7", "\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a"},
                          {"M\xc3\xbcller, Hans", "hans@example.org"},
                          {"", "plain@example.org"}};
    m.to = Span<const Mailbox>(to, 3);
    m.subject = "Gr\xc3\xbc\xc3\x9f" "e";
    const std::string out = mt::write_all(m);
    const std::string head = header_block(out);
    CHECK(head.find("From: J\xc3\xb6ran M\xc3\xbcller <j\xc3\xb6ran@b\xc3\xbc" "cher.example>\r\n") != std::string::npos);
    CHECK(head.find("To: \xe7\x94\xa8\xe6\x88\xb7 <\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a>,") !=
          std::string::npos);
    CHECK(head.find("\"M\xc3\xbcller, Hans\" <hans@example.org>") != std::string::npos);  // a quoted-string, qtext with UTF-8
    const std::size_t subject = head.find("Subject:");
    CHECK(head.substr(0, subject).find("=?UTF-8?") == std::string::npos);  // the address fields come first
    // A malformed UTF-8 address is still refused.
    const Mailbox bad[] = {{"", "j\xc3@example.org"}};
    m.to = Span<const Mailbox>(bad, 1);
    const MimeError e = start_error(m);
    CHECK(std::string(e.field) == "to");
    CHECK(std::string(e.reason) == "is not valid UTF-8");
}

TEST_CASE("RFC 6532 on: CR and LF in a UTF-8 display name or address are still refused") {
    Message m;
    m.smtputf8 = true;
    m.from = Mailbox{"J\xc3\xb6ran\r\nBcc: x@example.org", "a@example.org"};
    CHECK(std::string(start_error(m).field) == "from");
    m.from = Mailbox{"", "j\xc3\xb6ran@example.org\nBcc: x@example.org"};
    CHECK(std::string(start_error(m).field) == "from");
}

TEST_CASE("TLS-Required: No (RFC 8689 §5) only when asked, and a caller's own field then refused") {
    Message m;
    m.text = &kText;
    m.from = Mailbox{"", "a@example.org"};
    CHECK(header_block(mt::write_all(m)).find("TLS-Required") == std::string::npos);
    m.tls_required_no = true;
    const std::string head = header_block(mt::write_all(m));
    CHECK(head.find("\r\nTLS-Required: No\r\nMIME-Version: 1.0\r\n") != std::string::npos);
    const Header own[] = {{"TLS-Required", "No"}};
    m.headers = Span<const Header>(own, 1);
    const MimeError e = start_error(m);
    CHECK(std::string(e.field) == "header name");
    m.tls_required_no = false;
    CHECK(start_error(m).ok());  // without the flag the caller may write it
}
