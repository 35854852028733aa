// smtpcore adapters — a body source reading a file (POSIX descriptor).
#pragma once

#include <cstdint>
#include <string>

#include "smtpcore/body_source.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

/// Opens a file by its UTF-8 name, read-only, binary, not inherited by child
/// processes: open(2) on POSIX, _wopen() on Windows (UTF-16 name).
/// Returns -1 with errno set on failure.
int open_read_only(const std::string& path);

/// Produces a file's bytes through the BodySource shape: for message bodies
/// on disk and for MIME attachments (mime::Part::source).
class FileSource {
public:
    /// Opens `path` read-only. Check ok() / error() afterwards.
    explicit FileSource(const std::string& path);
    /// Reads from a descriptor the caller opened (not closed by FileSource
    /// unless `owned`), e.g. 0 for standard input.
    FileSource(int fd, bool owned) noexcept : fd_(fd), owned_(owned) {}
    ~FileSource();
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;
    FileSource(FileSource&& other) noexcept;

    bool ok() const noexcept { return fd_ >= 0; }
    /// errno text of the failed open or read.
    const std::string& error() const noexcept { return error_; }
    /// The file's size, or 0 if it is not a regular file.
    std::uint64_t size() const noexcept;
    /// Back to the first byte, to send the same file again. False on pipes.
    bool rewind() noexcept;

    ReadResult read(MutableBytes out) noexcept;
    BodySource source() noexcept { return BodySource{&FileSource::thunk, this}; }

private:
    static ReadResult thunk(void* self, MutableBytes out) noexcept {
        return static_cast<FileSource*>(self)->read(out);
    }
    int fd_ = -1;
    bool owned_ = true;
    bool ended_ = false;
    std::string error_;
};

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
