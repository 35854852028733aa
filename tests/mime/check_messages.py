#!/usr/bin/env python3
"""Independent check of the MIME writer's output with Python's email package.

usage: check_messages.py MIME_GEN OUTDIR [COUNT] [SEED]

Runs the generator, then parses every message it wrote with
email.policy.default and checks, against the manifest:
  - only CRLF line endings, no line over 998 octets, message ends in CRLF;
  - header lines at most 78 columns unless the line is one unbreakable token;
  - no parser defects anywhere;
  - Subject, From and To decode back to the input;
  - the text body decodes back to the input (line breaks compared as LF);
  - header values the manifest names (structured fields, white space) read
    back as asked;
  - attachment filenames, types, charsets and decoded bytes equal the
    originals (octet for octet where the part is not canonical text);
    forwarded messages (message/rfc822) parse like the original.
"""
import corpus
import re
import os
import sys
import email
import email.utils
from email import policy
from email.header import decode_header, make_header

failures = []


def fail(name, what):
    failures.append(f"{name}: {what}")


def norm_text(b):
    return b.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def check_lines(name, raw):
    if not raw.endswith(b"\r\n"):
        fail(name, "does not end in CRLF")
    body = raw.replace(b"\r\n", b"")
    if b"\r" in body or b"\n" in body:
        fail(name, "bare CR or LF")
    in_header = True
    for no, line in enumerate(raw.split(b"\r\n")):
        if len(line) > 998:
            fail(name, f"line {no + 1} is {len(line)} octets")
        if in_header:
            if line == b"":
                in_header = False
                continue
            if len(line) > 78:
                # Allowed only when the line holds one token that cannot fold:
                # "Name: token" or " token".
                rest = line[1:] if line[:1] in (b" ", b"\t") else line.split(b":", 1)[1].lstrip(b" ")
                if b" " in rest.strip(b" ") or b"\t" in rest:
                    fail(name, f"header line {no + 1} is {len(line)} columns and could fold: {line[:90]!r}")


def all_defects(msg):
    out = list(msg.defects)
    for part in msg.walk():
        if part is not msg:
            out.extend(part.defects)
    for key, value in msg.items():
        out.extend(getattr(value, "defects", ()))
    return out


def rfc2047_addresses(raw_value):
    """(display name, address) pairs decoded the RFC 2047 way.

    Python's policy.default keeps the white space between adjacent
    encoded-words of a display name (RFC 2047 §6.2 says to drop it), so names
    are decoded with the legacy decode_header, which follows the RFC."""
    pairs = email.utils.getaddresses([raw_value])
    return [(str(make_header(decode_header(n))) if n else "", a) for n, a in pairs]


def check_forwarded(name, part, original):
    """A forwarded message: the inner message parses as the original does."""
    if part["Content-Transfer-Encoding"] not in ("7bit", "8bit", None):
        fail(name, f"message/rfc822 sent as {part['Content-Transfer-Encoding']}")
    inner = part.get_payload(0)
    expected = email.message_from_bytes(original, policy=policy.default)
    if str(inner["Subject"]) != str(expected["Subject"]):
        fail(name, f"forwarded subject {inner['Subject']!r}")
    got = [p.get_payload(decode=True) for p in inner.iter_attachments()]
    want = [p.get_payload(decode=True) for p in expected.iter_attachments()]
    if got != want or not want:
        fail(name, f"forwarded message: {len(got)} attachments, expected {len(want)} equal ones")


STRUCTURED = ("In-Reply-To", "References", "Message-ID", "List-Help", "List-Unsubscribe", "List-Subscribe",
              "List-Post", "List-Owner", "List-Archive")


def unfold(value):
    """RFC 5322 §2.2.3: remove each CRLF that precedes white space."""
    return re.sub(r"\r?\n(?=[ \t])", "", str(value)).strip(" ")


def check(entry):
    name = os.path.basename(entry["eml"])
    raw = open(entry["eml"], "rb").read()
    check_lines(name, raw)
    msg = email.message_from_bytes(raw, policy=policy.default)
    defects = all_defects(msg)
    if defects:
        fail(name, f"parser defects: {defects}")
    # Leading and trailing white space of a subject is not kept (docs/mime.md).
    if entry["subject"].strip(" \t") and str(msg["Subject"]) != entry["subject"].strip(" \t"):
        fail(name, f"subject {str(msg['Subject'])!r} != {entry['subject']!r}")
    legacy = email.message_from_bytes(raw)  # compat32: raw header values
    frm = rfc2047_addresses(legacy["From"])
    if frm != [(entry["from_name"], entry["from_addr"])]:
        fail(name, f"from {frm!r}")
    if msg["From"].addresses[0].addr_spec != entry["from_addr"]:
        fail(name, "policy.default parses From differently")
    to = rfc2047_addresses(legacy["To"])
    if to != [tuple(x) for x in entry["to"]]:
        fail(name, f"to {to!r} != {entry['to']!r}")
    if [a.addr_spec for a in msg["To"].addresses] != [x[1] for x in entry["to"]]:
        fail(name, "policy.default parses To addresses differently")
    if msg["Bcc"] is not None:
        fail(name, "has a Bcc field")

    text_part = msg.get_body(preferencelist=("plain",))
    expected = open(entry["text"], "rb").read()
    if text_part is None:
        fail(name, "no text/plain body")
    else:
        got = norm_text(text_part.get_content().encode("utf-8"))
        # A single 7bit/8bit body that does not end in a line break gains one:
        # SMTP needs the message to end in CRLF (docs/mime.md).
        if (msg.get_content_maintype() != "multipart" and text_part["Content-Transfer-Encoding"] in ("7bit", "8bit")
                and not expected.endswith(b"\n") and got.endswith(b"\n")):
            got = got[:-1]
        if got != norm_text(expected):
            fail(name, f"text body differs: {got[:60]!r} vs {expected[:60]!r}")

    for hname, expected_value in entry.get("headers", []):
        got_value = msg[hname]
        if hname in STRUCTURED:
            # Structured fields must arrive as written, never encoded: compare
            # the raw unfolded text, which no decoder has touched.
            raw_value = unfold(legacy[hname]) if legacy[hname] is not None else None
            if raw_value != expected_value:
                fail(name, f"header {hname} (raw): {raw_value!r} != {expected_value!r}")
        elif hname in ("Cc", "Reply-To", "Sender") and legacy[hname] is not None:
            # Address fields: decoded the RFC 2047 way (see rfc2047_addresses).
            if rfc2047_addresses(legacy[hname]) != email.utils.getaddresses([expected_value]):
                fail(name, f"header {hname}: {rfc2047_addresses(legacy[hname])!r} != {expected_value!r}")
        elif got_value is None or str(got_value) != expected_value:
            fail(name, f"header {hname}: {str(got_value)!r} != {expected_value!r}")

    atts = list(msg.iter_attachments())
    if len(atts) != len(entry["attachments"]):
        fail(name, f"{len(atts)} attachments, expected {len(entry['attachments'])}")
        return
    for part, exp in zip(atts, entry["attachments"]):
        if (part.get_filename() or "") != exp["filename"]:
            fail(name, f"filename {part.get_filename()!r} != {exp['filename']!r}")
        if part.get_content_type() != exp["content_type"]:
            fail(name, f"type {part.get_content_type()} != {exp['content_type']}")
        original = open(exp["path"], "rb").read()
        if exp.get("charset") and part.get_content_charset() != exp["charset"]:
            fail(name, f"charset {part.get_content_charset()!r} != {exp['charset']!r}")
        if part.get_content_type() == "message/rfc822":
            check_forwarded(name, part, original)
        elif exp.get("exact"):
            if part.get_payload(decode=True) != original:
                fail(name, f"part {exp['filename']!r} does not come back octet for octet")
        elif part.get_content_maintype() == "text":
            got = part.get_content().encode(part.get_content_charset() or "utf-8")
            if norm_text(got) != norm_text(original):
                fail(name, f"text attachment {exp['filename']!r} differs")
        else:
            got = part.get_payload(decode=True)
            if got != original:
                fail(name, f"attachment {exp['filename']!r}: {len(got)} octets, expected {len(original)}")


def main():
    manifest = corpus.generate(sys.argv, "40")
    for entry in manifest:
        check(entry)
    for f in failures:
        print("FAIL", f)
    print(f"checked {len(manifest)} messages, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
