// smtpcore adapters — the byte stream a Driver runs the engine over.
//
// The engine (smtpcore/client.hpp) never touches I/O; adapters do. A Transport
// is one non-blocking connected stream (a POSIX socket, a Winsock socket, a
// test pipe): the Driver reads and writes it and asks the operating system to
// wake it through the handle it exposes. Adapters may use the heap and
// exceptions; the core may not.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "smtpcore/config.hpp"
#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore::adapters {

enum class IoStatus : std::uint8_t {
    Ok,          ///< `size` bytes moved (may be fewer than offered)
    WouldBlock,  ///< nothing now: wait for readiness
    Eof,         ///< the peer closed its side (reads only)
    Failed,      ///< the stream is broken; see the transport's error text
};

struct IoResult {
    std::size_t size = 0;
    IoStatus status = IoStatus::Ok;
};

/// A connected, non-blocking byte stream.
class Transport {
public:
    virtual ~Transport() = default;
    virtual IoResult read(MutableBytes out) noexcept = 0;
    virtual IoResult write(Bytes data) noexcept = 0;
    /// What the operating system waits on (a file descriptor on POSIX).
    virtual int handle() const noexcept = 0;
    /// Why the last read or write Failed, for people.
    virtual const char* error() const noexcept = 0;
};

/// Milliseconds on a monotonic clock: the time the Driver hands the engine.
inline Millis monotonic_ms() noexcept {
    using namespace std::chrono;
    return static_cast<Millis>(duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
}

}  // namespace smtpcore::adapters
SMTPCORE_END_PUBLIC
