// The C ABI's translations between smtpcore.h's structs and the C++ types.
// Everything the engine's shape decides lives here and in client.cpp, so an
// engine change is adapted in one place; the static_asserts in convert.cpp
// stop the build when an enumerator moves.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

#include "smtpcore.h"
#include "smtpcore/client.hpp"

namespace smtpcore::c_abi {

inline std::string_view view(smtpcore_str s) noexcept {
    return s.data ? std::string_view(s.data, s.size) : std::string_view();
}
inline smtpcore_str str(std::string_view s) noexcept { return smtpcore_str{s.data(), s.size()}; }
inline smtpcore_window window(MutableBytes b) noexcept { return smtpcore_window{b.data(), b.size()}; }

/// Copies `full` into `out` without writing past the caller's struct_size
/// (a program built against an older smtpcore.h has a smaller struct), and
/// keeps the caller's struct_size.
template <class T>
void copy_out(const T& full, T* out) noexcept {
    const std::uint32_t caller_size = out->struct_size;
    std::memcpy(static_cast<void*>(out), &full, caller_size < sizeof(T) ? caller_size : sizeof(T));
    out->struct_size = caller_size;
}

/// The caller's struct over defaults: fields past its struct_size keep them.
template <class T>
T read_in(const T& in, const T& defaults) noexcept {
    T full = defaults;
    std::memcpy(static_cast<void*>(&full), &in, in.struct_size < sizeof(T) ? in.struct_size : sizeof(T));
    full.struct_size = sizeof(T);
    return full;
}

smtpcore_config default_config() noexcept;
Config to_config(const smtpcore_config& c) noexcept;
/// The config asks for a mechanism beyond PLAIN and LOGIN (a token, random
/// octets, or such a choice): the client is made with AuthOptions.
bool wants_auth_options(const smtpcore_config& c) noexcept;
AuthOptions to_auth_options(const smtpcore_config& c) noexcept;
smtpcore_error to_c(const Error& e) noexcept;
smtpcore_event to_c(const Event& e) noexcept;
/// The envelope without its recipients (the caller's array is converted into
/// views the client keeps, see RecipientSlots in client.cpp).
Envelope to_envelope(const smtpcore_envelope& e) noexcept;
/// RET, ENVID, NOTIFY and the policy of e's DSN request (ORCPT: by the caller,
/// whose views must outlive the message).
DsnRequest to_dsn(const smtpcore_envelope& e) noexcept;

}  // namespace smtpcore::c_abi
