// The C ABI's library-wide calls: versions, names, descriptions and struct
// defaults.
#include "convert.hpp"
#include "smtpcore/version.hpp"

using namespace smtpcore;
using namespace smtpcore::c_abi;

extern "C" {

const char* smtpcore_version(void) { return version_string(); }
uint32_t smtpcore_c_abi_version(void) { return SMTPCORE_C_ABI_VERSION; }

const char* smtpcore_strerror(int32_t kind) {
    switch (kind) {
    case SMTPCORE_OK: return "no error";
    case SMTPCORE_E_MISUSE: return "the call broke a precondition; nothing changed";
    case SMTPCORE_E_INVALID_INPUT: return "application data refused (CR, LF or NUL, bad address, line over 998 octets)";
    case SMTPCORE_E_UNSUPPORTED: return "the message needs an extension the server lacks, or is over its SIZE";
    case SMTPCORE_E_PEER_VIOLATION: return "the server broke the SMTP protocol";
    case SMTPCORE_E_LIMIT_EXCEEDED: return "a bound was exceeded, or the storage is too small";
    case SMTPCORE_E_TLS_REQUIRED: return "TLS is required and the server does not offer it or refused it";
    case SMTPCORE_E_INSECURE_AUTH: return "credentials would be sent without TLS, which was not allowed";
    case SMTPCORE_E_AUTH_UNAVAILABLE: return "the server offers no usable AUTH mechanism";
    case SMTPCORE_E_AUTH_FAILED: return "the server refused the credentials";
    case SMTPCORE_E_REFUSED: return "the server refused the session";
    case SMTPCORE_E_TIMEOUT: return "the server did not answer in time";
    case SMTPCORE_E_CONNECTION_LOST: return "the connection closed while a reply was expected";
    case SMTPCORE_E_BODY_FAILED: return "the message body failed; the message was cut off";
    case SMTPCORE_E_ABORTED: return "the session was aborted";
    case SMTPCORE_E_CANCELLED: return "the message was cancelled after DATA; it was cut off and the session ended";
    }
    return "unknown error";
}

const char* smtpcore_error_name(int32_t kind) {
    return kind >= SMTPCORE_OK && kind <= SMTPCORE_E_CANCELLED ? to_string(ErrorKind(kind)) : "?";
}
const char* smtpcore_event_name(int32_t type) {
    return type >= SMTPCORE_EVENT_NONE && type <= SMTPCORE_EVENT_RECIPIENT_OUTCOME ? to_string(EventType(type)) : "?";
}
const char* smtpcore_state_name(int32_t state) {
    return state >= SMTPCORE_STATE_AWAIT_TLS && state <= SMTPCORE_STATE_FAILED ? to_string(SessionState(state)) : "?";
}

void smtpcore_config_init(smtpcore_config* config, size_t struct_size) {
    smtpcore_config full = default_config();
    full.struct_size = std::uint32_t(struct_size);
    config->struct_size = std::uint32_t(struct_size);  // copy_out() writes this many bytes
    copy_out(full, config);
}

void smtpcore_envelope_init(smtpcore_envelope* envelope, size_t struct_size) {
    smtpcore_envelope full{};
    full.struct_size = std::uint32_t(struct_size);
    envelope->struct_size = std::uint32_t(struct_size);  // copy_out() writes this many bytes
    copy_out(full, envelope);
}

void smtpcore_event_init(smtpcore_event* event, size_t struct_size) {
    smtpcore_event full{};
    full.struct_size = std::uint32_t(struct_size);
    event->struct_size = std::uint32_t(struct_size);  // copy_out() writes this many bytes
    copy_out(full, event);
}

}  // extern "C"
