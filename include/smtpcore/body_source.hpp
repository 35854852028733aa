// smtpcore — the one shape every body producer has.
//
// A buffer, an application callback, the MIME writer and the file adapter all
// produce bytes the same way: the caller offers a window, the producer fills
// some of it and says whether more will come. "Pending" means "no bytes yet,
// ask again later" so a producer never blocks the loop that drives the engine.
// The shape is a plain function pointer plus context so that it maps 1:1 to C.
#pragma once

#include <cstddef>
#include <cstdint>

#include "smtpcore/span.hpp"
#include "smtpcore/export.hpp"

SMTPCORE_BEGIN_PUBLIC
namespace smtpcore {

enum class ReadStatus : std::uint8_t {
    Data,     ///< `size` bytes were written (size may be 0 only if the window was empty)
    Pending,  ///< no bytes now; call again later (e.g. the application is still collecting output)
    End,      ///< `size` final bytes were written and the body is complete
    Failed,   ///< the producer failed; the message must not be completed
};

struct ReadResult {
    std::size_t size;
    ReadStatus status;
};

/// A producer of bytes. `read` writes at most `out.size()` bytes into `out`.
/// It must not be called again after it returned End or Failed.
struct BodySource {
    ReadResult (*read)(void* context, MutableBytes out) noexcept = nullptr;
    void* context = nullptr;

    ReadResult operator()(MutableBytes out) const noexcept { return read(context, out); }
};

/// A source over a caller-owned buffer (kept alive by the caller until End).
class BufferSource {
public:
    explicit BufferSource(Bytes data) noexcept : data_(data) {}
    ReadResult read(MutableBytes out) noexcept;
    BodySource source() noexcept { return BodySource{&BufferSource::thunk, this}; }

private:
    static ReadResult thunk(void* self, MutableBytes out) noexcept {
        return static_cast<BufferSource*>(self)->read(out);
    }
    Bytes data_;
    std::size_t offset_ = 0;
};

}  // namespace smtpcore
SMTPCORE_END_PUBLIC
