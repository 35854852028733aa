#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "options.hpp"
#include "smtpcore/adapters/file_source.hpp"

namespace smtpcore::cli {
namespace {

[[noreturn]] void missing(const std::string& what, const std::string& path, const std::string& why) {
    throw InputMissing{"cannot read " + what + " " + path + ": " + why};
}

bool is_directory(int fd) {
    struct stat st {};
    return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_regular(int fd) {
    struct stat st {};
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

void require_readable_file(const std::string& path, const std::string& what) {
#ifdef _WIN32
    const int fd = adapters::open_read_only(path);  // UTF-8 name, wide API
#else
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO must not block
#endif
    if (fd < 0) missing(what, path, std::strerror(errno));
    const bool dir = is_directory(fd);
    close(fd);
    if (dir) missing(what, path, "it is a directory");
}

int spool_to_temporary(int fd, const std::string& what) {
    const char* dir = std::getenv("TMPDIR");
    std::string name = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/smtpcore-send-XXXXXX";
    const int tmp = mkstemp(name.data());  // mode 0600
    if (tmp < 0) missing(what, "(standard input)", std::string("cannot create a temporary file: ") + std::strerror(errno));
    unlink(name.c_str());  // private: nobody can open it by name, and it goes when we exit
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            close(tmp);
            missing(what, "", std::strerror(errno));
        }
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            const ssize_t w = ::write(tmp, buf + off, static_cast<std::size_t>(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                close(tmp);
                missing(what, "", std::string("cannot spool to a temporary file: ") + std::strerror(errno));
            }
            off += w;
        }
    }
    lseek(tmp, 0, SEEK_SET);
    return tmp;
}

InputFile::InputFile(const std::string& path, const std::string& what, bool need_rereads) {
    if (path == "-") {
        fd_ = 0;
        owned_ = false;
    } else {
        fd_ = adapters::open_read_only(path);  // UTF-8 names on Windows too
        if (fd_ < 0) missing(what, path, std::strerror(errno));
    }
    if (is_directory(fd_)) {
        if (owned_) close(fd_);
        fd_ = -1;
        missing(what, path, "it is a directory");
    }
    adopt(path, need_rereads);
}

InputFile::InputFile(int fd, const std::string& what, bool need_rereads) : fd_(fd), owned_(false) {
    adopt(what, need_rereads);
}

void InputFile::adopt(const std::string& what, bool need_rereads) {
    if (!is_regular(fd_) && need_rereads) {
        const int spooled = spool_to_temporary(fd_, what);
        if (owned_) close(fd_);
        fd_ = spooled;
        owned_ = true;
    }
    if (is_regular(fd_)) {
        const off_t here = lseek(fd_, 0, SEEK_CUR);
        start_ = here > 0 ? static_cast<std::uint64_t>(here) : 0;
        ContentScan s;
        if (!scan_file(fd_, start_, s)) missing(what, "", std::strerror(errno));
        scan_ = s;
    } else {
        read_ahead(what);
    }
}

// Most piped bodies (cron output, echo) are short: reading them whole before
// connecting lets them be labelled, encoded and SIZE-declared like a file.
void InputFile::read_ahead(const std::string& what) {
    constexpr std::size_t kReadAhead = 64 * 1024;
    ahead_.resize(kReadAhead);
    std::size_t have = 0;
    bool ended = false;
    while (have < kReadAhead) {
        const ssize_t n = ::read(fd_, &ahead_[have], kReadAhead - have);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;  // a non-blocking descriptor: the rest streams
        if (n < 0) missing(what, "", std::strerror(errno));
        if (n == 0) {
            ended = true;
            break;
        }
        have += static_cast<std::size_t>(n);
    }
    ahead_.resize(have);
    if (ended) {
        held_ = true;
        scan_ = scan_text(ahead_);
        return;
    }
    // Only a proof counts against utf-8: scan up to the last ASCII octet, so
    // a character cut at the end of the read-ahead is not taken for one.
    std::size_t whole = have;
    while (whole > 0 && static_cast<unsigned char>(ahead_[whole - 1]) >= 0x80) --whole;
    const ContentScan prefix = scan_text(std::string_view(ahead_).substr(0, whole));
    if (prefix.utf16_bom || !prefix.utf8 || prefix.nul) prefix_charset_ = prefix.charset();
}

std::string_view InputFile::charset() const {
    return scan_ ? scan_->charset() : prefix_charset_;
}

InputFile::~InputFile() {
    if (owned_ && fd_ >= 0) close(fd_);
}

std::optional<std::uint64_t> InputFile::size() const {
    if (!scan_) return std::nullopt;
    return scan_->size;
}

bool InputFile::rewind() {
    if (!scan_) return consumed_ == 0;  // a stream can be read once, from where it is
    ended_ = false;
    consumed_ = 0;
    ahead_used_ = 0;
    if (held_) return true;
    return lseek(fd_, static_cast<off_t>(start_), SEEK_SET) == static_cast<off_t>(start_);
}

ReadResult InputFile::read(MutableBytes out) noexcept {
    if (out.empty()) return {0, ReadStatus::Data};
    if (ended_) return {0, ReadStatus::End};
    if (ahead_used_ < ahead_.size()) {
        const std::size_t n = std::min(out.size(), ahead_.size() - ahead_used_);
        std::memcpy(out.data(), ahead_.data() + ahead_used_, n);
        ahead_used_ += n;
        consumed_ += n;
        return {n, ReadStatus::Data};
    }
    if (held_) {
        ended_ = true;
        return {0, ReadStatus::End};
    }
    for (;;) {
        const ssize_t n = ::read(fd_, out.data(), out.size());
        if (n > 0) {
            consumed_ += static_cast<std::uint64_t>(n);
            return {static_cast<std::size_t>(n), ReadStatus::Data};
        }
        if (n == 0) {
            ended_ = true;
            return {0, ReadStatus::End};
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return {0, ReadStatus::Pending};
        return {0, ReadStatus::Failed};
    }
}

}  // namespace smtpcore::cli
