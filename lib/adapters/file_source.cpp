// A BodySource over a POSIX file descriptor (the C runtime's on Windows).
#include "smtpcore/adapters/file_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include "errno_text.hpp"

#ifdef _WIN32
#include "win_text.hpp"
#endif

namespace smtpcore::adapters {

int open_read_only(const std::string& path) {
#ifdef _WIN32
    // The narrow _open() reads names in the ANSI code page: a UTF-8 name
    // with non-ASCII letters would not be found. _O_BINARY: bytes as they are
    // (text mode would turn CRLF into LF and stop at Ctrl-Z).
    bool utf8 = true;
    const std::wstring wide = detail::widen(path, &utf8);
    if (!utf8) {
        errno = EILSEQ;
        return -1;
    }
    return _wopen(wide.c_str(), _O_RDONLY | _O_BINARY | _O_NOINHERIT);
#else
    return open(path.c_str(), O_RDONLY | O_CLOEXEC);
#endif
}

FileSource::FileSource(const std::string& path) : fd_(open_read_only(path)) {
    if (fd_ < 0) error_ = path + ": " + errno_text(errno);
}

FileSource::~FileSource() {
    if (owned_ && fd_ >= 0) close(fd_);
}

FileSource::FileSource(FileSource&& other) noexcept
    : fd_(other.fd_), owned_(other.owned_), ended_(other.ended_), error_(std::move(other.error_)) {
    other.fd_ = -1;
}

std::uint64_t FileSource::size() const noexcept {
    struct stat st {};
    if (fd_ < 0 || fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

bool FileSource::rewind() noexcept {
    ended_ = false;
    return fd_ >= 0 && lseek(fd_, 0, SEEK_SET) == 0;
}

ReadResult FileSource::read(MutableBytes out) noexcept {
    if (ended_ || out.empty()) return {0, ended_ ? ReadStatus::End : ReadStatus::Data};
    for (;;) {
        const ssize_t n = ::read(fd_, out.data(), out.size());
        if (n > 0) return {static_cast<std::size_t>(n), ReadStatus::Data};
        if (n == 0) {
            ended_ = true;
            return {0, ReadStatus::End};
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return {0, ReadStatus::Pending};  // a non-blocking pipe
        error_ = errno_text(errno);
        return {0, ReadStatus::Failed};
    }
}

}  // namespace smtpcore::adapters
