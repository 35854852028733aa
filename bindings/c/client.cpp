// The C ABI's client: smtpcore.h over smtpcore::Client, in the caller's
// storage, without heap, callbacks or exceptions (compiled -fno-exceptions).
//
// Storage layout: [smtpcore_client][recipient slots][engine storage].
// The C caller's recipients (pointer + length) are not std::string_views, so
// each submitted envelope's recipients are converted into slots that live
// until the message's outcome event is pulled (outcomes come in submission
// order, so the slots are a FIFO ring).
#include <cstring>
#include <new>
#include <type_traits>

#include "convert.hpp"

using namespace smtpcore;
using namespace smtpcore::c_abi;

namespace {

constexpr std::size_t kMessagesInFlight = 16;

constexpr std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

class RecipientSlots {
public:
    RecipientSlots(std::string_view* slots, std::uint32_t capacity) noexcept : slots_(slots), capacity_(capacity) {}

    /// Contiguous room for n views, or nullptr when the bound is reached.
    std::string_view* reserve(std::uint32_t message, std::size_t n) noexcept {
        if (used_ == kMessagesInFlight || n > capacity_) return nullptr;
        std::uint32_t start = 0;
        if (used_ > 0) {
            const Held& front = held_[head_];
            const Held& back = held_[(head_ + used_ - 1) % kMessagesInFlight];
            const std::uint32_t end = back.start + back.count;
            if (back.start >= front.start) {  // not wrapped: room after the back, else before the front
                if (capacity_ - end >= n) start = end;
                else if (front.start >= n) start = 0;
                else return nullptr;
            } else if (front.start - end >= n) {
                start = end;
            } else {
                return nullptr;
            }
        }
        held_[(head_ + used_) % kMessagesInFlight] = Held{message, start, std::uint32_t(n)};
        ++used_;
        return slots_ + start;
    }
    /// A reservation whose submit() was refused.
    void undo_last() noexcept { --used_; }
    /// The outcome of `message` was reported: its slots are free.
    void release(std::uint32_t message) noexcept {
        if (used_ > 0 && held_[head_].message == message) {
            head_ = (head_ + 1) % kMessagesInFlight;
            --used_;
        }
    }

private:
    struct Held {
        std::uint32_t message, start, count;
    };
    std::string_view* slots_;
    std::uint32_t capacity_;
    Held held_[kMessagesInFlight] = {};
    std::uint32_t head_ = 0;
    std::uint32_t used_ = 0;
};


// What a smtpcore_client* points at. smtpcore_client itself stays an
// incomplete type, so the ABI (bindings/c/abi) never depends on the engine's
// layout: only smtpcore_client_size() does.
struct CClient {
    CClient(const Config& config, MutableBytes storage, std::string_view* slots, std::uint32_t n) noexcept
        : engine(config, storage), recipients(slots, n) {}
    CClient(const Config& config, MutableBytes storage, const AuthOptions& auth, std::string_view* slots,
            std::uint32_t n) noexcept
        : engine(config, storage, auth), recipients(slots, n) {}
    Client engine;
    RecipientSlots recipients;
    std::uint32_t submitted = 0;
};

// A message's DSN request lives in its recipient slots, behind the views
// (the engine borrows it until the outcome, like the views): no fixed cost
// for clients that never ask for DSN.
constexpr std::size_t kDsnSlots = (sizeof(DsnRequest) + sizeof(std::string_view) - 1) / sizeof(std::string_view);
static_assert(alignof(DsnRequest) <= alignof(std::string_view), "a DsnRequest is placed in a slot");
static_assert(std::is_trivially_destructible<DsnRequest>::value, "slots are reused without destruction");

// Nothing to tear down: the caller frees the storage whenever it likes.
static_assert(std::is_trivially_destructible<CClient>::value, "a client must need no teardown");

CClient* self(smtpcore_client* c) noexcept { return reinterpret_cast<CClient*>(c); }
const CClient* self(const smtpcore_client* c) noexcept { return reinterpret_cast<const CClient*>(c); }

std::size_t header_size() noexcept { return round_up(sizeof(CClient), alignof(std::string_view)); }

bool usable(const smtpcore_config* config) noexcept {
    return config && config->struct_size >= offsetof(smtpcore_config, client_name);
}
}  // namespace

extern "C" {

size_t smtpcore_client_size(const smtpcore_config* config) {
    if (!usable(config)) return 0;
    const smtpcore_config c = read_in(*config, default_config());
    const std::size_t slots = round_up(std::size_t(c.max_recipients_in_flight) * sizeof(std::string_view),
                                       SMTPCORE_CLIENT_ALIGN);
    const std::size_t engine = wants_auth_options(c) ? Client::min_storage(to_config(c), to_auth_options(c))
                                                     : Client::min_storage(to_config(c));
    return round_up(header_size(), SMTPCORE_CLIENT_ALIGN) + slots + engine;
}

smtpcore_error_kind smtpcore_client_init(void* storage, size_t storage_size, const smtpcore_config* config,
                                         smtpcore_client** client) {
    if (!client) return SMTPCORE_E_MISUSE;
    *client = nullptr;
    const std::size_t needed = smtpcore_client_size(config);
    if (!storage || needed == 0 || storage_size < needed ||
        reinterpret_cast<std::uintptr_t>(storage) % SMTPCORE_CLIENT_ALIGN != 0)
        return SMTPCORE_E_MISUSE;
    const smtpcore_config c = read_in(*config, default_config());
    if (c.chunking < SMTPCORE_CHUNKING_AUTO || c.chunking > SMTPCORE_CHUNKING_ALWAYS) return SMTPCORE_E_MISUSE;
    if (c.protocol < SMTPCORE_PROTOCOL_SMTP || c.protocol > SMTPCORE_PROTOCOL_LMTP) return SMTPCORE_E_MISUSE;
    // The engine holds messages_in_flight messages and one more submitted ahead: all need recipient slots.
    if (c.messages_in_flight >= kMessagesInFlight) return SMTPCORE_E_MISUSE;
    char* base = static_cast<char*>(storage);
    auto* slots = reinterpret_cast<std::string_view*>(base + round_up(header_size(), SMTPCORE_CLIENT_ALIGN));
    const std::size_t slot_bytes =
        round_up(std::size_t(c.max_recipients_in_flight) * sizeof(std::string_view), SMTPCORE_CLIENT_ALIGN);
    char* engine_storage = reinterpret_cast<char*>(slots) + slot_bytes;
    // Placement construction into the caller's storage: no heap.
    const MutableBytes engine(engine_storage, storage_size - std::size_t(engine_storage - base));
    CClient* made = wants_auth_options(c)
                        ? ::new (storage) CClient(to_config(c), engine, to_auth_options(c), slots, c.max_recipients_in_flight)
                        : ::new (storage) CClient(to_config(c), engine, slots, c.max_recipients_in_flight);
    *client = reinterpret_cast<smtpcore_client*>(made);
    return smtpcore_error_kind(made->engine.last_error().kind);
}

smtpcore_state smtpcore_get_state(const smtpcore_client* c) { return smtpcore_state(self(c)->engine.state()); }
smtpcore_error smtpcore_last_error(const smtpcore_client* c) { return to_c(self(c)->engine.last_error()); }
int smtpcore_secure(const smtpcore_client* c) { return self(c)->engine.secure(); }
int smtpcore_want_read(const smtpcore_client* c) { return self(c)->engine.want_read(); }
int smtpcore_want_write(const smtpcore_client* c) { return self(c)->engine.want_write(); }

void smtpcore_get_capabilities(const smtpcore_client* c, smtpcore_capabilities* out) {
    const Capabilities& caps = self(c)->engine.capabilities();
    smtpcore_capabilities full{};
    full.struct_size = sizeof full;
    full.extensions = caps.extensions;
    full.mechanisms = caps.mechanisms;
    full.esmtp = caps.esmtp;
    full.size_limit = caps.size_limit;
    copy_out(full, out);
}

smtpcore_window smtpcore_recv_buf(smtpcore_client* c) { return window(self(c)->engine.recv_buf()); }
smtpcore_error_kind smtpcore_recv_ack(smtpcore_client* c, size_t n) {
    return smtpcore_error_kind(self(c)->engine.recv_ack(n).kind);
}
size_t smtpcore_feed(smtpcore_client* c, const void* data, size_t n) {
    return self(c)->engine.feed(Bytes(static_cast<const char*>(data), n));
}
smtpcore_error_kind smtpcore_tls_established(smtpcore_client* c) {
    return smtpcore_error_kind(self(c)->engine.tls_established().kind);
}

smtpcore_error_kind smtpcore_tls_established_binding(smtpcore_client* c, const void* binding, size_t size) {
    const Bytes octets(binding != nullptr ? static_cast<const char*>(binding) : "", binding != nullptr ? size : 0);
    return smtpcore_error_kind(self(c)->engine.tls_established(octets).kind);
}
void smtpcore_connection_closed(smtpcore_client* c) { self(c)->engine.connection_closed(); }
smtpcore_millis smtpcore_deadline(const smtpcore_client* c) { return self(c)->engine.deadline(); }
void smtpcore_handle_timeout(smtpcore_client* c, smtpcore_millis now) { self(c)->engine.handle_timeout(now); }

smtpcore_event_type smtpcore_next_event(smtpcore_client* c, smtpcore_event* out) {
    const Event e = self(c)->engine.next_event();
    if (e.type == EventType::MessageAccepted || e.type == EventType::MessageRejected ||
        e.type == EventType::MessageUnknown)
        self(c)->recipients.release(e.message);
    copy_out(to_c(e), out);
    return smtpcore_event_type(e.type);
}

smtpcore_str smtpcore_send_buf(smtpcore_client* c) {
    const Bytes b = self(c)->engine.send_buf();
    return smtpcore_str{b.data(), b.size()};
}
smtpcore_error_kind smtpcore_send_ack(smtpcore_client* c, size_t n) {
    return smtpcore_error_kind(self(c)->engine.send_ack(n).kind);
}
smtpcore_window smtpcore_body_buf(smtpcore_client* c) { return window(self(c)->engine.body_buf()); }
smtpcore_error_kind smtpcore_body_ack(smtpcore_client* c, size_t n) {
    return smtpcore_error_kind(self(c)->engine.body_ack(n).kind);
}
smtpcore_error_kind smtpcore_body_end(smtpcore_client* c) { return smtpcore_error_kind(self(c)->engine.body_end().kind); }
void smtpcore_body_fail(smtpcore_client* c) { self(c)->engine.body_fail(); }

smtpcore_error_kind smtpcore_submit(smtpcore_client* c, const smtpcore_envelope* in) {
    if (!in || in->struct_size < offsetof(smtpcore_envelope, recipients)) return SMTPCORE_E_MISUSE;
    smtpcore_envelope defaults{};
    smtpcore_envelope_init(&defaults, sizeof defaults);
    const smtpcore_envelope e = read_in(*in, defaults);
    if (e.recipient_count > 0 && !e.recipients) return SMTPCORE_E_MISUSE;
    const std::uint32_t number = self(c)->submitted + 1;
    // ORCPT views sit in the slots right after the recipients', for as long.
    const bool orcpt = e.dsn != 0 && e.dsn_orcpt != nullptr;
    const std::size_t view_count = e.recipient_count * (orcpt ? 2 : 1);
    // Per-recipient NOTIFY values are copied into the slots after the DsnRequest.
    const std::size_t notify_count = e.dsn != 0 && e.dsn_notify_each != nullptr ? e.recipient_count : 0;
    const std::size_t notify_slots = (notify_count + sizeof(std::string_view) - 1) / sizeof(std::string_view);
    std::string_view* views =
        self(c)->recipients.reserve(number, view_count + (e.dsn != 0 ? kDsnSlots + notify_slots : 0));
    if (!views) return SMTPCORE_E_LIMIT_EXCEEDED;
    for (std::size_t i = 0; i < e.recipient_count; ++i) views[i] = view(e.recipients[i]);
    Envelope envelope = to_envelope(e);
    envelope.recipients = Span<const std::string_view>(views, e.recipient_count);
    if (e.dsn != 0) {
        DsnRequest& dsn = *::new (static_cast<void*>(views + view_count)) DsnRequest(to_dsn(e));
        if (orcpt) {
            for (std::size_t i = 0; i < e.recipient_count; ++i) views[e.recipient_count + i] = view(e.dsn_orcpt[i]);
            dsn.orcpt = Span<const std::string_view>(views + e.recipient_count, e.recipient_count);
        }
        if (notify_count != 0) {
            auto* notify = reinterpret_cast<std::uint8_t*>(views + view_count + kDsnSlots);
            std::memcpy(notify, e.dsn_notify_each, notify_count);
            dsn.notify_each = Span<const std::uint8_t>(notify, notify_count);
        }
        envelope.dsn = &dsn;
    }
    const Error err = self(c)->engine.submit(envelope);
    if (err) {
        self(c)->recipients.undo_last();
    } else {
        ++self(c)->submitted;
    }
    return smtpcore_error_kind(err.kind);
}

int smtpcore_can_submit(const smtpcore_client* c) { return self(c)->engine.can_submit(); }

smtpcore_error_kind smtpcore_cancel(smtpcore_client* c) { return smtpcore_error_kind(self(c)->engine.cancel().kind); }
smtpcore_error_kind smtpcore_quit(smtpcore_client* c) { return smtpcore_error_kind(self(c)->engine.quit().kind); }
void smtpcore_abort(smtpcore_client* c) { self(c)->engine.abort(); }

}  // extern "C"
