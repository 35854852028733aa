// smtpcore-send: the files a message is made of (body, attachments, the -t
// message), opened and checked before connecting.
//
// A directory or unreadable path is refused with exit 66 before any
// connection (docs/cli.md). "-" is standard input. A regular file is scanned
// once (content_scan.hpp) and can be re-read for --count; a pipe, FIFO or
// process substitution is read exactly once, as it streams, unless the
// message goes out more than once: then it is first copied to a private
// unnamed temporary file (mode 0600, unlinked at once) and treated as a file.
// A stream's first 64 KiB are read ahead before connecting: one that ends
// within them is held and scanned like a file; a longer one gets a charset
// label from them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "content_scan.hpp"
#include "smtpcore/body_source.hpp"

namespace smtpcore::cli {

class InputFile {
public:
    /// Opens `path` ("-": standard input). `what` names it in messages
    /// ("--body-file"). Throws InputMissing. With `need_rereads` a stream is
    /// spooled first so that it can be rewound.
    InputFile(const std::string& path, const std::string& what, bool need_rereads);
    /// Adopts an open descriptor (standard input).
    InputFile(int fd, const std::string& what, bool need_rereads);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    /// The content's scan, when it could be read ahead (a regular file, or
    /// a stream that ended within the read-ahead).
    const std::optional<ContentScan>& scan() const { return scan_; }
    /// What charset= can say (ContentScan::charset()). For a longer stream,
    /// from its first octets: unknown-8bit or utf-16 when they show it, else
    /// utf-8, which the rest is taken to be.
    std::string_view charset() const;
    /// Octets from the start position to the end, when known.
    std::optional<std::uint64_t> size() const;
    int fd() const { return fd_; }
    std::uint64_t start() const { return start_; }

    /// Back to the first octet for another copy; only for files (scan() set).
    bool rewind();
    /// The content as a body source.
    BodySource source() { return BodySource{&InputFile::thunk, this}; }
    /// Octets handed out so far (the progress bar's numerator).
    std::uint64_t consumed() const { return consumed_; }

private:
    void adopt(const std::string& what, bool need_rereads);
    void read_ahead(const std::string& what);
    static ReadResult thunk(void* self, MutableBytes out) noexcept {
        return static_cast<InputFile*>(self)->read(out);
    }
    ReadResult read(MutableBytes out) noexcept;

    int fd_ = -1;
    bool owned_ = true;
    bool ended_ = false;
    std::uint64_t start_ = 0;
    std::uint64_t consumed_ = 0;
    std::optional<ContentScan> scan_;
    std::string ahead_;          // a stream's first octets, handed out before the rest
    std::size_t ahead_used_ = 0;
    bool held_ = false;          // the whole stream is in ahead_
    std::string_view prefix_charset_ = "utf-8";
};

/// Copies everything readable from `fd` into a new private unnamed temporary
/// file and returns its descriptor positioned at 0. Throws InputMissing.
int spool_to_temporary(int fd, const std::string& what);

/// Throws InputMissing ("... is a directory") unless `path` can be opened as
/// a file for reading; for password and CA files.
void require_readable_file(const std::string& path, const std::string& what);

}  // namespace smtpcore::cli
