/* smtpcore.h — the C ABI of the smtpcore ESMTP client engine (C99).
 *
 * The same sans-I/O engine as include/smtpcore/client.hpp and the MIME
 * writer of include/smtpcore/mime/writer.hpp, for C programs and for other
 * languages' bindings (docs/c-api.md):
 *
 *  - The client lives in storage you own: smtpcore_client_size(&config)
 *    bytes, aligned to SMTPCORE_CLIENT_ALIGN, then smtpcore_client_init().
 *    The library never allocates, never calls back into your code and never
 *    lets a C++ exception cross this boundary.
 *  - Bytes move through windows: smtpcore_recv_buf()/smtpcore_recv_ack(),
 *    smtpcore_send_buf()/smtpcore_send_ack(), smtpcore_body_buf()/
 *    smtpcore_body_ack()/smtpcore_body_end().
 *  - Events are pulled with smtpcore_next_event() into a flat struct; its
 *    strings are pointer + length (not NUL-terminated) and stay valid until
 *    the next call into the same client.
 *  - Time is an input (smtpcore_handle_timeout()) and smtpcore_deadline()
 *    says when to call again.
 *  - Errors are smtpcore_error_kind values; smtpcore_strerror() describes one.
 *
 * Stability: every struct the caller fills or receives starts with
 * struct_size, set from the caller's sizeof (the SMTPCORE_*_INIT macros do
 * it). Fields are only ever appended, so a program built against an older
 * smtpcore.h keeps working with a newer library: fields it does not know
 * take their defaults, and the library writes no byte past struct_size.
 * Enumerator values never change. An incompatible change raises
 * SMTPCORE_C_ABI_VERSION and the library's SOVERSION.
 *
 * Loop, every time the program wakes (the same as for the C++ Client):
 *   1. smtpcore_handle_timeout(c, now)
 *   2. while (smtpcore_next_event(c, &ev) != SMTPCORE_EVENT_NONE) handle(&ev)
 *   3. write smtpcore_send_buf(c), then smtpcore_send_ack(c, bytes written)
 *   4. in a body: fill smtpcore_body_buf(c), smtpcore_body_ack(c, n); at the end smtpcore_body_end(c)
 *   5. read into smtpcore_recv_buf(c), smtpcore_recv_ack(c, n); on EOF smtpcore_connection_closed(c)
 *   6. sleep until the socket is ready or smtpcore_deadline(c)
 */
#ifndef SMTPCORE_H
#define SMTPCORE_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define SMTPCORE_C_API __attribute__((visibility("default")))
#else
#define SMTPCORE_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Raised only by an incompatible change of this header. */
#define SMTPCORE_C_ABI_VERSION 1

/** A client; opaque, it lives in storage the caller provides. */
typedef struct smtpcore_client smtpcore_client;

/** Milliseconds on a clock of the caller's choosing (monotonic is best). */
typedef uint64_t smtpcore_millis;
#define SMTPCORE_NEVER UINT64_MAX

/** Read-only bytes or text: pointer + length, not NUL-terminated. */
typedef struct smtpcore_str {
    const char* data;
    size_t size;
} smtpcore_str;

/** A window the caller may write into. size 0 means "not now". */
typedef struct smtpcore_window {
    char* data;
    size_t size;
} smtpcore_window;

/* ---- enumerations (values are part of the ABI) --------------------------- */

typedef enum smtpcore_error_kind {
    SMTPCORE_OK = 0,
    SMTPCORE_E_MISUSE = 1,           /**< the caller broke a precondition; nothing changed */
    SMTPCORE_E_INVALID_INPUT = 2,    /**< application data refused (CR/LF/NUL, bad address, long line) */
    SMTPCORE_E_UNSUPPORTED = 3,      /**< the message needs an extension the server lacks, or is over SIZE */
    SMTPCORE_E_PEER_VIOLATION = 4,   /**< the server broke RFC 5321 */
    SMTPCORE_E_LIMIT_EXCEEDED = 5,   /**< a bound was passed, or the storage is too small */
    SMTPCORE_E_TLS_REQUIRED = 6,     /**< policy requires TLS and the server does not give it */
    SMTPCORE_E_INSECURE_AUTH = 7,    /**< credentials would go out without TLS */
    SMTPCORE_E_AUTH_UNAVAILABLE = 8, /**< no usable AUTH mechanism offered */
    SMTPCORE_E_AUTH_FAILED = 9,      /**< the server refused the credentials */
    SMTPCORE_E_REFUSED = 10,         /**< the server refused the session */
    SMTPCORE_E_TIMEOUT = 11,         /**< a deadline (RFC 5321 §4.5.3.2) passed */
    SMTPCORE_E_CONNECTION_LOST = 12, /**< the transport closed while a reply was expected */
    SMTPCORE_E_BODY_FAILED = 13,     /**< smtpcore_body_fail(): the message was cut off */
    SMTPCORE_E_ABORTED = 14,         /**< smtpcore_abort() was called */
    SMTPCORE_E_CANCELLED = 15        /**< smtpcore_cancel() after DATA had left: cut off, the session ends */
} smtpcore_error_kind;

typedef enum smtpcore_tls_mode {
    SMTPCORE_TLS_NONE = 0,              /**< plaintext only */
    SMTPCORE_TLS_OPPORTUNISTIC = 1,     /**< STARTTLS when offered (no credentials allowed) */
    SMTPCORE_TLS_STARTTLS_REQUIRED = 2, /**< STARTTLS or nothing (the default) */
    SMTPCORE_TLS_IMPLICIT = 3           /**< TLS from the first byte (port 465) */
} smtpcore_tls_mode;

typedef enum smtpcore_auth_choice {
    /** With oauth_token: OAUTHBEARER, else XOAUTH2. Otherwise SCRAM-SHA-256-PLUS
     *  (a binding given to smtpcore_tls_established_binding()), else
     *  SCRAM-SHA-256 (both need sasl_random), else PLAIN, else LOGIN. */
    SMTPCORE_AUTH_AUTO = 0,
    SMTPCORE_AUTH_PLAIN = 1,
    SMTPCORE_AUTH_LOGIN = 2,
    SMTPCORE_AUTH_XOAUTH2 = 3,            /**< needs oauth_token */
    SMTPCORE_AUTH_OAUTHBEARER = 4,        /**< RFC 7628; needs oauth_token */
    SMTPCORE_AUTH_SCRAM_SHA_256 = 5,      /**< RFC 7677; needs sasl_random */
    SMTPCORE_AUTH_SCRAM_SHA_256_PLUS = 6, /**< RFC 9266 binding; needs sasl_random */
    SMTPCORE_AUTH_CRAM_MD5 = 7            /**< RFC 2195; only when forced */
} smtpcore_auth_choice;

typedef enum smtpcore_recipient_policy {
    SMTPCORE_RECIPIENTS_ANY_ACCEPTED = 0, /**< send when at least one recipient was accepted */
    SMTPCORE_RECIPIENTS_ALL_REQUIRED = 1  /**< send only when every recipient was accepted */
} smtpcore_recipient_policy;

typedef enum smtpcore_body_type {
    SMTPCORE_BODY_7BIT = 0,
    SMTPCORE_BODY_8BITMIME = 1 /**< BODY=8BITMIME (RFC 6152) */
} smtpcore_body_type;

/** DSN RET (RFC 3461 §4.3). */
typedef enum smtpcore_dsn_ret {
    SMTPCORE_DSN_RET_DEFAULT = 0, /**< no RET: the server decides */
    SMTPCORE_DSN_RET_FULL = 1,    /**< RET=FULL */
    SMTPCORE_DSN_RET_HDRS = 2     /**< RET=HDRS */
} smtpcore_dsn_ret;

/** DSN NOTIFY bits (RFC 3461 §4.1); NEVER stands alone. */
#define SMTPCORE_DSN_NOTIFY_NEVER (1u << 0)
#define SMTPCORE_DSN_NOTIFY_SUCCESS (1u << 1)
#define SMTPCORE_DSN_NOTIFY_FAILURE (1u << 2)
#define SMTPCORE_DSN_NOTIFY_DELAY (1u << 3)

/** What happens to DSN parameters when the server does not offer DSN. */
typedef enum smtpcore_dsn_unoffered {
    SMTPCORE_DSN_DROP = 0,  /**< send without them; the outcome event has dsn_dropped = 1 */
    SMTPCORE_DSN_REFUSE = 1 /**< smtpcore_submit() refuses the message: SMTPCORE_E_UNSUPPORTED, nothing sent */
} smtpcore_dsn_unoffered;

/** Whether message content goes out with BDAT (RFC 3030 CHUNKING) or DATA. */
typedef enum smtpcore_chunking {
    SMTPCORE_CHUNKING_AUTO = 0,  /**< BDAT when the server offers CHUNKING, DATA otherwise */
    SMTPCORE_CHUNKING_NEVER = 1, /**< always DATA (some servers stall on BDAT) */
    SMTPCORE_CHUNKING_ALWAYS = 2 /**< BDAT or nothing: smtpcore_submit() says UNSUPPORTED without CHUNKING */
} smtpcore_chunking;

/** SMTP, or LMTP (RFC 2033) to a mail store: only when the caller says so. */
typedef enum smtpcore_protocol {
    SMTPCORE_PROTOCOL_SMTP = 0, /**< ESMTP (RFC 5321) */
    SMTPCORE_PROTOCOL_LMTP = 1  /**< LHLO, no HELO fallback; one RECIPIENT_OUTCOME per accepted recipient after the
                                     end of data; no BDAT (chunking ALWAYS is refused); at most 64 recipients */
} smtpcore_protocol;

typedef enum smtpcore_state {
    SMTPCORE_STATE_AWAIT_TLS = 0,
    SMTPCORE_STATE_GREETING = 1,
    SMTPCORE_STATE_EHLO = 2,
    SMTPCORE_STATE_HELO = 3,
    SMTPCORE_STATE_STARTTLS = 4,
    SMTPCORE_STATE_TLS_HANDSHAKE = 5,
    SMTPCORE_STATE_AUTH = 6,
    SMTPCORE_STATE_READY = 7,
    SMTPCORE_STATE_ENVELOPE = 8,
    SMTPCORE_STATE_BODY = 9,
    SMTPCORE_STATE_DATA_END = 10,
    SMTPCORE_STATE_RSET = 11,
    SMTPCORE_STATE_QUIT = 12,
    SMTPCORE_STATE_CLOSED = 13,
    SMTPCORE_STATE_FAILED = 14
} smtpcore_state;

typedef enum smtpcore_event_type {
    SMTPCORE_EVENT_NONE = 0,             /**< nothing to report: do I/O and wait */
    SMTPCORE_EVENT_GREETING = 1,         /**< the server's 220 arrived */
    SMTPCORE_EVENT_START_TLS = 2,        /**< run the TLS handshake, then smtpcore_tls_established() */
    SMTPCORE_EVENT_AUTHENTICATED = 3,    /**< 235: AUTH succeeded */
    SMTPCORE_EVENT_READY = 4,            /**< submit a message now (or quit) */
    SMTPCORE_EVENT_RECIPIENT_RESULT = 5, /**< the reply to one RCPT TO */
    SMTPCORE_EVENT_BODY_WANTED = 6,      /**< 354: write the body through smtpcore_body_buf() */
    SMTPCORE_EVENT_MESSAGE_ACCEPTED = 7, /**< the server took responsibility for the message */
    SMTPCORE_EVENT_MESSAGE_REJECTED = 8, /**< 4xx/5xx, or refused locally (code 0) */
    SMTPCORE_EVENT_MESSAGE_UNKNOWN = 9,  /**< the connection died after end of data: maybe delivered */
    SMTPCORE_EVENT_CLOSED = 10,          /**< the session ended in order; flush and close */
    SMTPCORE_EVENT_ERROR = 11,           /**< fatal error (see error); close the connection */
    /** LMTP (RFC 2033 §4.2): one recipient's reply after the end of data (2xx: it took the message);
     *  one per recipient accepted at RCPT, in RCPT order, before the message's outcome. */
    SMTPCORE_EVENT_RECIPIENT_OUTCOME = 12
} smtpcore_event_type;

/** Bits of smtpcore_capabilities.extensions. */
#define SMTPCORE_EXT_PIPELINING (1u << 0)
#define SMTPCORE_EXT_SIZE (1u << 1)
#define SMTPCORE_EXT_8BITMIME (1u << 2)
#define SMTPCORE_EXT_SMTPUTF8 (1u << 3)
#define SMTPCORE_EXT_STARTTLS (1u << 4)
#define SMTPCORE_EXT_AUTH (1u << 5)
#define SMTPCORE_EXT_CHUNKING (1u << 6)
#define SMTPCORE_EXT_BINARYMIME (1u << 7)
#define SMTPCORE_EXT_DSN (1u << 8)
#define SMTPCORE_EXT_ENHANCEDSTATUSCODES (1u << 9)
#define SMTPCORE_EXT_REQUIRETLS (1u << 10)

/* ---- structs ------------------------------------------------------------- */

/** A fatal or refusing error. reason and where are static NUL-terminated strings. */
typedef struct smtpcore_error {
    int32_t kind;       /**< smtpcore_error_kind */
    int32_t index;      /**< the offending recipient for INVALID_INPUT, else -1 */
    const char* reason; /**< e.g. "reply line longer than 512 octets" */
    const char* where;  /**< the session phase, e.g. "EHLO" */
} smtpcore_error;

/** RFC 5321 §4.5.3.2 timeouts in milliseconds. */
typedef struct smtpcore_timeouts {
    uint32_t greeting, mail, rcpt, data_init, data_block, data_end, command;
} smtpcore_timeouts;

/** Session policy, fixed at smtpcore_client_init(). Strings are borrowed:
 *  keep them alive as long as the client. */
typedef struct smtpcore_config {
    uint32_t struct_size;          /**< sizeof(smtpcore_config) as the caller compiled it */
    int32_t tls;                   /**< smtpcore_tls_mode (default STARTTLS_REQUIRED) */
    smtpcore_str client_name;      /**< EHLO argument (default "localhost") */
    smtpcore_str username;         /**< empty: no AUTH */
    smtpcore_str password;
    int32_t auth;                  /**< smtpcore_auth_choice */
    int32_t recipient_policy;      /**< smtpcore_recipient_policy */
    uint8_t allow_plaintext_auth;  /**< 0: credentials never go out without TLS */
    uint8_t accept_bare_lf_in_replies; /**< named leniency, off by default */
    uint16_t reply_text_capacity;  /**< bytes of server text kept for events */
    uint16_t recv_capacity;        /**< receive window */
    uint16_t limit_reply_line;     /**< RFC 5321 §4.5.3.1.5: 512 */
    uint16_t limit_reply_lines;    /**< lines in one reply */
    uint8_t limit_sasl_challenges; /**< 334 challenges in one AUTH exchange */
    uint8_t reserved0;
    /** Recipients of submitted messages still waiting for their outcome
     *  (the C ABI keeps them in the client's storage). Default 100, the
     *  number RFC 5321 §4.5.3.1.8 requires a server to accept. A message
     *  with DSN ORCPT addresses takes two slots per recipient, and a DSN
     *  request a few slots more (4 on 64-bit targets). */
    uint32_t max_recipients_in_flight;
    smtpcore_timeouts timeouts;
    /* Appended for the SASL mechanisms beyond PLAIN and LOGIN (an older
     * caller's smaller struct_size leaves them empty). Borrowed too. */
    smtpcore_str oauth_token;       /**< OAuth 2.0 access token (XOAUTH2, OAUTHBEARER); empty: none */
    smtpcore_str sasl_random;       /**< 15 to 48 octets from a CSPRNG for the SCRAM nonce; empty: no SCRAM */
    uint32_t scram_max_iterations;  /**< the PBKDF2 count a server may ask for at most; 0: 65536 */
    uint32_t reserved1;
    /* Appended for CHUNKING (RFC 3030); an older caller's smaller struct_size gets AUTO. */
    int32_t chunking;               /**< smtpcore_chunking; another value: smtpcore_client_init() says MISUSE */
    uint32_t reserved2;
    /* Appended for LMTP (RFC 2033); an older caller's smaller struct_size gets SMTP. */
    int32_t protocol;               /**< smtpcore_protocol; another value: smtpcore_client_init() says MISUSE */
    /* Appended for several messages in flight; an older caller's smaller struct_size gets 1. */
    /** Limits::messages_in_flight: with CHUNKING and PIPELINING offered,
     *  this many messages' content may go out before the first is answered
     *  (BODY_WANTED for a message behind the current one). 1 (the default,
     *  0 counts as 1): one at a time. At most 15, else smtpcore_client_init()
     *  says MISUSE. Each beyond the first adds to smtpcore_client_size(). */
    uint32_t messages_in_flight;
} smtpcore_config;

/** One message's envelope (RFC 5321 §3.3). The characters of every string
 *  are borrowed until the message's outcome event; the recipients array
 *  itself is copied (as views) by smtpcore_submit(). */
typedef struct smtpcore_envelope {
    uint32_t struct_size;            /**< sizeof(smtpcore_envelope) as the caller compiled it */
    int32_t body;                    /**< smtpcore_body_type */
    smtpcore_str from;               /**< reverse path without <>; empty: the null sender */
    const smtpcore_str* recipients;  /**< To, Cc and Bcc alike */
    size_t recipient_count;
    uint64_t size_hint;              /**< SIZE= (RFC 1870); 0: unknown */
    uint8_t smtputf8;                /**< SMTPUTF8 on MAIL (RFC 6531) */
    uint8_t reserved[7];
    /* Appended in 0.2: DSN (RFC 3461) and REQUIRETLS (RFC 8689). */
    uint8_t require_tls;             /**< REQUIRETLS: refused at submit without TLS or without the offer */
    uint8_t dsn;                     /**< 1: the dsn_* fields below are a DSN request */
    uint8_t dsn_ret;                 /**< smtpcore_dsn_ret */
    uint8_t dsn_notify;              /**< SMTPCORE_DSN_NOTIFY_* bits; 0: no NOTIFY */
    uint8_t dsn_unoffered;           /**< smtpcore_dsn_unoffered */
    uint8_t reserved2[3];
    smtpcore_str dsn_envid;          /**< ENVID, plain text (xtext-encoded by the library); empty: none */
    const smtpcore_str* dsn_orcpt;   /**< NULL, or recipient_count ORCPT addresses (an empty one: none) */
    /* Appended in 0.3: NOTIFY per recipient (RFC 3461 §4.1). */
    const uint8_t* dsn_notify_each;  /**< NULL, or recipient_count SMTPCORE_DSN_NOTIFY_* values, copied
                                          by smtpcore_submit(); 0: that recipient gets dsn_notify */
} smtpcore_envelope;

/** What next_event() reports. Strings stay valid until the next call into the client. */
typedef struct smtpcore_event {
    uint32_t struct_size;          /**< set by the caller: sizeof(smtpcore_event) */
    int32_t type;                  /**< smtpcore_event_type */
    uint16_t code;                 /**< reply code; 0 for a local event */
    uint8_t temporary;             /**< rejections: retrying later may succeed */
    uint8_t status_class;          /**< RFC 3463 enhanced status, all 0 when absent */
    uint16_t status_subject;
    uint16_t status_detail;
    uint32_t message;              /**< 1-based number of the message in this session */
    uint32_t recipient_index;      /**< RECIPIENT_RESULT, RECIPIENT_OUTCOME: index into the envelope's recipients */
    uint32_t accepted_recipients;  /**< outcomes: how many RCPTs got a 2xx (LMTP: how many recipients took it) */
    smtpcore_str recipient;        /**< RECIPIENT_RESULT, RECIPIENT_OUTCOME: the address */
    smtpcore_str text;             /**< the server's text (lines joined by '\n') or a local reason */
    smtpcore_error error;          /**< ERROR events */
    /* Appended in 0.2. */
    uint8_t dsn_dropped;           /**< outcomes: DSN was asked, the server lacks it, the parameters were left out */
    uint8_t reserved[7];
    /* Appended in 0.3. */
    uint32_t unknown_recipients;   /**< LMTP MESSAGE_UNKNOWN: recipients accepted at RCPT with no reply after the
                                        end of data (each may have the message); 0 otherwise */
    uint32_t reserved2;
} smtpcore_event;

/** What the server's EHLO reply offered (reset by STARTTLS). */
typedef struct smtpcore_capabilities {
    uint32_t struct_size;
    uint32_t extensions; /**< SMTPCORE_EXT_* bits */
    uint32_t mechanisms; /**< SASL: 1 PLAIN, 2 LOGIN, 4 XOAUTH2, 8 OAUTHBEARER, 16 SCRAM-SHA-256, 32 CRAM-MD5, 64 SCRAM-SHA-256-PLUS */
    uint8_t esmtp;       /**< 0 after a HELO fallback */
    uint8_t reserved[3];
    uint64_t size_limit; /**< SIZE parameter; 0: none declared */
} smtpcore_capabilities;

/* Fill a struct with defaults and its struct_size with the caller's sizeof. */
#define SMTPCORE_CONFIG_INIT(config) smtpcore_config_init((config), sizeof(smtpcore_config))
#define SMTPCORE_ENVELOPE_INIT(envelope) smtpcore_envelope_init((envelope), sizeof(smtpcore_envelope))
#define SMTPCORE_EVENT_INIT(event) smtpcore_event_init((event), sizeof(smtpcore_event))

/** smtpcore_client_init() wants storage aligned to this. */
#define SMTPCORE_CLIENT_ALIGN 16

/* ---- library ------------------------------------------------------------- */

/** "0.1.0": the library the program runs with. */
SMTPCORE_C_API const char* smtpcore_version(void);
/** SMTPCORE_C_ABI_VERSION of the library. */
SMTPCORE_C_API uint32_t smtpcore_c_abi_version(void);
/** A sentence describing an error kind (static, NUL-terminated). */
SMTPCORE_C_API const char* smtpcore_strerror(int32_t kind);
/** Short names: "peer-violation", "message-accepted", "ready" (static). */
SMTPCORE_C_API const char* smtpcore_error_name(int32_t kind);
SMTPCORE_C_API const char* smtpcore_event_name(int32_t type);
SMTPCORE_C_API const char* smtpcore_state_name(int32_t state);

SMTPCORE_C_API void smtpcore_config_init(smtpcore_config* config, size_t struct_size);
SMTPCORE_C_API void smtpcore_envelope_init(smtpcore_envelope* envelope, size_t struct_size);
SMTPCORE_C_API void smtpcore_event_init(smtpcore_event* event, size_t struct_size);

/* ---- life ---------------------------------------------------------------- */

/** Bytes of storage a client with this config needs (0: config is NULL or
 *  its struct_size is too small to be a config). */
SMTPCORE_C_API size_t smtpcore_client_size(const smtpcore_config* config);
/** Builds a client in `storage` (smtpcore_client_size() bytes at least,
 *  aligned to SMTPCORE_CLIENT_ALIGN) and stores its handle in *client.
 *  Returns SMTPCORE_E_MISUSE (and no client) for missing, small or misaligned
 *  storage. A config the engine refuses (credentials with opportunistic TLS,
 *  NUL in a password, ...) gives a client in the FAILED state and returns its
 *  error kind; nothing is ever sent. The client needs no teardown: free the
 *  storage when done. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_client_init(void* storage, size_t storage_size,
                                                        const smtpcore_config* config,
                                                        smtpcore_client** client);

/* ---- getters ------------------------------------------------------------- */

SMTPCORE_C_API smtpcore_state smtpcore_get_state(const smtpcore_client* client);
/** The sticky fatal error; kind SMTPCORE_OK while the session is healthy. */
SMTPCORE_C_API smtpcore_error smtpcore_last_error(const smtpcore_client* client);
SMTPCORE_C_API int smtpcore_secure(const smtpcore_client* client);
SMTPCORE_C_API int smtpcore_want_read(const smtpcore_client* client);
SMTPCORE_C_API int smtpcore_want_write(const smtpcore_client* client);
SMTPCORE_C_API void smtpcore_get_capabilities(const smtpcore_client* client, smtpcore_capabilities* out);

/* ---- input --------------------------------------------------------------- */

/** The window to read server bytes into; then smtpcore_recv_ack(). Empty
 *  while earlier input waits to be parsed (pull events first), during the
 *  STARTTLS handshake and after the end. */
SMTPCORE_C_API smtpcore_window smtpcore_recv_buf(smtpcore_client* client);
SMTPCORE_C_API smtpcore_error_kind smtpcore_recv_ack(smtpcore_client* client, size_t n);
/** Copies what fits of data into the receive window; returns the bytes taken. */
SMTPCORE_C_API size_t smtpcore_feed(smtpcore_client* client, const void* data, size_t n);
/** The TLS handshake finished and the certificate was verified. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_tls_established(smtpcore_client* client);
/** The same with the TLS library's channel binding for SCRAM-SHA-256-PLUS:
 *  the 32 octets of the TLS 1.3 exporter, label "EXPORTER-Channel-Binding",
 *  no context (RFC 9266). Any other size is taken as no binding. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_tls_established_binding(smtpcore_client* client, const void* binding,
                                                                    size_t size);
/** The transport reached end of file or failed. */
SMTPCORE_C_API void smtpcore_connection_closed(smtpcore_client* client);
/** When to call smtpcore_handle_timeout() at the latest; SMTPCORE_NEVER: no wait. */
SMTPCORE_C_API smtpcore_millis smtpcore_deadline(const smtpcore_client* client);
/** Tells the engine the time; idempotent. */
SMTPCORE_C_API void smtpcore_handle_timeout(smtpcore_client* client, smtpcore_millis now);

/* ---- output -------------------------------------------------------------- */

/** Fills *event (up to event->struct_size bytes) and returns its type;
 *  SMTPCORE_EVENT_NONE when there is nothing to report. */
SMTPCORE_C_API smtpcore_event_type smtpcore_next_event(smtpcore_client* client, smtpcore_event* event);
/** Bytes to write to the transport (size 0: nothing to send). Handing them
 *  out counts them as sent: replies to them may be fed before
 *  smtpcore_send_ack(), and a connection lost after the end-of-data marker
 *  was handed out makes the message's outcome MESSAGE_UNKNOWN. */
SMTPCORE_C_API smtpcore_str smtpcore_send_buf(smtpcore_client* client);
SMTPCORE_C_API smtpcore_error_kind smtpcore_send_ack(smtpcore_client* client, size_t n);
/** In the BODY state: the window for message content (any line endings; the
 *  engine makes CRLF and dot-stuffs). */
SMTPCORE_C_API smtpcore_window smtpcore_body_buf(smtpcore_client* client);
SMTPCORE_C_API smtpcore_error_kind smtpcore_body_ack(smtpcore_client* client, size_t n);
SMTPCORE_C_API smtpcore_error_kind smtpcore_body_end(smtpcore_client* client);
/** The body's source failed: the message is cut off without end of data. */
SMTPCORE_C_API void smtpcore_body_fail(smtpcore_client* client);

/* ---- commands ------------------------------------------------------------ */

/** Starts a transaction: in READY with every event pulled, or, to send
 *  ahead, once the current message's body has ended (smtpcore_body_end())
 *  and no other message waits: with PIPELINING its MAIL, RCPT and DATA then
 *  go out right behind the previous end-of-data marker (RFC 2920 §3.1) and
 *  its BODY_WANTED follows the previous outcome, with no READY between.
 *  Every address is checked before anything is sent; on error nothing
 *  changes. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_submit(smtpcore_client* client, const smtpcore_envelope* envelope);
/** 1 when smtpcore_submit() would be taken now. */
SMTPCORE_C_API int smtpcore_can_submit(const smtpcore_client* client);
/** Cancels the current message (its outcome: MESSAGE_REJECTED, code 0).
 *  Lines not handed out yet are dropped; RSET if MAIL had left and the
 *  session goes on; once DATA had left the session ends with
 *  SMTPCORE_E_CANCELLED. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_cancel(smtpcore_client* client);
/** QUIT once the current message is done; CLOSED follows the reply. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_quit(smtpcore_client* client);
/** Stops at once; outcomes of messages in flight are reported, then ERROR. */
SMTPCORE_C_API void smtpcore_abort(smtpcore_client* client);

/* ---- the MIME writer (RFC 5322, 2045, 2046, 2047, 2231; docs/mime.md) ---- */

typedef struct smtpcore_mailbox {
    smtpcore_str name;    /**< display name, any UTF-8 (encoded-words when needed); may be empty */
    smtpcore_str address; /**< "local@domain" */
} smtpcore_mailbox;

typedef struct smtpcore_header {
    smtpcore_str name;
    smtpcore_str value;
} smtpcore_header;

typedef enum smtpcore_part_kind {
    SMTPCORE_KIND_AUTO = 0,  /**< text/ and message/ types are text, the rest binary */
    SMTPCORE_KIND_TEXT = 1,  /**< line breaks made CRLF */
    SMTPCORE_KIND_BINARY = 2 /**< bit for bit (base64 unless forced) */
} smtpcore_part_kind;

typedef enum smtpcore_part_encoding {
    SMTPCORE_ENCODING_AUTO = 0,
    SMTPCORE_ENCODING_7BIT = 1,
    SMTPCORE_ENCODING_8BIT = 2,
    SMTPCORE_ENCODING_QUOTED_PRINTABLE = 3,
    SMTPCORE_ENCODING_BASE64 = 4
} smtpcore_part_encoding;

typedef enum smtpcore_disposition {
    SMTPCORE_DISPOSITION_DEFAULT = 0,
    SMTPCORE_DISPOSITION_INLINE = 1,
    SMTPCORE_DISPOSITION_ATTACHMENT = 2
} smtpcore_disposition;

/** One body part; its content is in memory (data). */
typedef struct smtpcore_part {
    uint32_t struct_size;
    int32_t kind;          /**< smtpcore_part_kind */
    int32_t encoding;      /**< smtpcore_part_encoding */
    int32_t disposition;   /**< smtpcore_disposition */
    smtpcore_str content_type; /**< "type/subtype" (default "text/plain") */
    smtpcore_str charset;      /**< for text/ types (default "utf-8") */
    smtpcore_str data;         /**< the content */
    smtpcore_str filename;     /**< any UTF-8; RFC 2231 when needed */
    smtpcore_str content_id;   /**< related parts: "id@host" */
} smtpcore_part;

typedef struct smtpcore_date {
    int32_t year, month, day, hour, minute, second, utc_offset_minutes;
} smtpcore_date;

/** A message for the writer. Everything is borrowed until the writer ends. */
typedef struct smtpcore_message {
    uint32_t struct_size;
    uint8_t eight_bit_mime; /**< the server offers 8BITMIME: 8bit text may go unencoded */
    uint8_t has_date;       /**< write a Date field from `date` */
    uint8_t reserved[2];
    smtpcore_mailbox from;
    const smtpcore_mailbox* to;
    size_t to_count;
    const smtpcore_mailbox* cc; /**< Bcc is envelope-only: the writer has no field for it */
    size_t cc_count;
    const smtpcore_mailbox* reply_to;
    size_t reply_to_count;
    smtpcore_str subject;
    smtpcore_date date;
    smtpcore_str message_id;        /**< written as is; empty: see message_id_random */
    smtpcore_str message_id_random; /**< caller's random bytes for a generated Message-ID */
    smtpcore_str message_id_domain;
    const smtpcore_header* headers;
    size_t header_count;
    const smtpcore_part* text;        /**< text/plain body, or NULL */
    const smtpcore_part* html;        /**< text/html (alternative to text), or NULL */
    const smtpcore_part* related;     /**< inline parts of the html */
    size_t related_count;
    const smtpcore_part* attachments;
    size_t attachment_count;
    smtpcore_str boundary_random;     /**< caller's random bytes for the MIME boundaries */
    /* Appended in 0.2. */
    uint8_t smtputf8;        /**< RFC 6532: UTF-8 addresses and display names written raw (the envelope uses SMTPUTF8) */
    uint8_t tls_required_no; /**< write "TLS-Required: No" (RFC 8689 §5) */
    uint8_t reserved2[6];
} smtpcore_message;

/** Why the writer refused a message or failed (static strings). */
typedef struct smtpcore_mime_error {
    const char* field;  /**< e.g. "subject", "attachment filename"; NULL: no error */
    const char* reason; /**< e.g. "contains CR, LF or NUL" */
    size_t index;       /**< which element of a list, or which leaf part */
} smtpcore_mime_error;

typedef enum smtpcore_read_status {
    SMTPCORE_READ_DATA = 0,   /**< bytes were written; read again */
    SMTPCORE_READ_PENDING = 1,
    SMTPCORE_READ_END = 2,    /**< the last bytes were written: smtpcore_body_end() */
    SMTPCORE_READ_FAILED = 3  /**< see smtpcore_mime_writer_error(); smtpcore_body_fail() */
} smtpcore_read_status;

typedef struct smtpcore_mime_writer smtpcore_mime_writer;

#define SMTPCORE_MESSAGE_INIT(message) smtpcore_message_init((message), sizeof(smtpcore_message))
#define SMTPCORE_PART_INIT(part) smtpcore_part_init((part), sizeof(smtpcore_part))
SMTPCORE_C_API void smtpcore_message_init(smtpcore_message* message, size_t struct_size);
SMTPCORE_C_API void smtpcore_part_init(smtpcore_part* part, size_t struct_size);

/** Bytes of storage (aligned to SMTPCORE_CLIENT_ALIGN) a writer for this
 *  message needs; 0 for a NULL message. */
SMTPCORE_C_API size_t smtpcore_mime_writer_size(const smtpcore_message* message);
/** Builds a writer for `message` in `storage` and checks the message (every
 *  field, before a byte is written). Returns 0 and *writer, or -1 with
 *  *writer NULL for bad storage, or 1 with *writer set when the message was
 *  refused (smtpcore_mime_writer_error() says which field and why). */
SMTPCORE_C_API int smtpcore_mime_writer_start(void* storage, size_t storage_size, const smtpcore_message* message,
                                              smtpcore_mime_writer** writer);
/** Writes up to `capacity` bytes of the message into `out` (typically
 *  smtpcore_body_buf()'s window) and stores the count in *written. */
SMTPCORE_C_API smtpcore_read_status smtpcore_mime_writer_read(smtpcore_mime_writer* writer, char* out,
                                                              size_t capacity, size_t* written);
SMTPCORE_C_API smtpcore_mime_error smtpcore_mime_writer_error(const smtpcore_mime_writer* writer);

/* ---- the DNS stub resolver (RFC 1035, RFC 5452; docs/dns.md) -------------
 *
 * The same sans-I/O resolver as include/smtpcore/dns/resolver.hpp: A, AAAA
 * or MX of one name, asked of recursive servers the caller names, over UDP
 * and (for truncated answers) TCP. Like the client it lives in storage you
 * own (smtpcore_dns_resolver_size(), SMTPCORE_CLIENT_ALIGN), never
 * allocates, reads no clock and draws no random numbers: the caller moves
 * datagrams and stream bytes, hands in the time and random octets from a
 * CSPRNG, and pulls events.
 *
 * Loop, every time the program wakes:
 *   1. smtpcore_dns_handle_timeout(r, now)
 *   2. if smtpcore_dns_want_random(r): fill smtpcore_dns_random_buf(r), smtpcore_dns_random_ack(r, n)
 *   3. while (smtpcore_dns_next_event(r, &ev) != SMTPCORE_DNS_EVENT_NONE):
 *        SEND_DATAGRAM: send smtpcore_dns_send_buf(r) as one datagram to servers[ev.server]
 *                       (a fresh socket, so a fresh source port), smtpcore_dns_send_ack(r, size)
 *        OPEN_STREAM:   connect TCP to servers[ev.server], then smtpcore_dns_stream_connected(r)
 *        CLOSE_STREAM:  close it
 *        ADDRESS, MX:   a record of the answer
 *        DONE:          ev.outcome says how it ended
 *   4. over TCP: write smtpcore_dns_send_buf(r), smtpcore_dns_send_ack(r, n)
 *   5. read into smtpcore_dns_recv_buf(r): a datagram -> smtpcore_dns_datagram_received(r, &source, n);
 *      stream bytes -> smtpcore_dns_recv_ack(r, n); EOF or error -> smtpcore_dns_connection_closed(r)
 *   6. sleep until a socket is ready or smtpcore_dns_deadline(r)
 *
 * An answer is taken only when its ID, question, type and class match and it
 * came from the server asked (RFC 5452 §9.1); everything else is dropped and
 * counted (smtpcore_dns_ignored()). Event strings stay valid until the next
 * call into the same resolver. */

typedef struct smtpcore_dns_resolver smtpcore_dns_resolver;

typedef enum smtpcore_dns_type {
    SMTPCORE_DNS_A = 1,
    SMTPCORE_DNS_MX = 15,
    SMTPCORE_DNS_AAAA = 28
} smtpcore_dns_type;

typedef enum smtpcore_dns_state {
    SMTPCORE_DNS_STATE_IDLE = 0,
    SMTPCORE_DNS_STATE_NEED_RANDOM = 1,
    SMTPCORE_DNS_STATE_AWAIT_UDP = 2,
    SMTPCORE_DNS_STATE_AWAIT_OPEN = 3,
    SMTPCORE_DNS_STATE_AWAIT_TCP = 4,
    SMTPCORE_DNS_STATE_REPORTING = 5,
    SMTPCORE_DNS_STATE_DONE = 6
} smtpcore_dns_state;

typedef enum smtpcore_dns_outcome {
    SMTPCORE_DNS_PENDING = 0,
    SMTPCORE_DNS_ANSWER = 1,         /**< records of the asked type were reported */
    SMTPCORE_DNS_NODATA = 2,         /**< the name exists without records of that type (RFC 2308 §2.2) */
    SMTPCORE_DNS_NXDOMAIN = 3,       /**< the name does not exist */
    SMTPCORE_DNS_SERVER_FAILURE = 4, /**< SERVFAIL, REFUSED, malformed or too large answers on every try */
    SMTPCORE_DNS_TIMEOUT = 5,        /**< no server answered in time */
    SMTPCORE_DNS_FAILED = 6          /**< a bound was hit (CNAME chain) or smtpcore_dns_cancel() */
} smtpcore_dns_outcome;

typedef enum smtpcore_dns_event_type {
    SMTPCORE_DNS_EVENT_NONE = 0,
    SMTPCORE_DNS_EVENT_SEND_DATAGRAM = 1,
    SMTPCORE_DNS_EVENT_OPEN_STREAM = 2,
    SMTPCORE_DNS_EVENT_CLOSE_STREAM = 3,
    SMTPCORE_DNS_EVENT_ADDRESS = 4,
    SMTPCORE_DNS_EVENT_MX = 5,
    SMTPCORE_DNS_EVENT_DONE = 6
} smtpcore_dns_event_type;

/** An IPv4 or IPv6 address and port. */
typedef struct smtpcore_dns_endpoint {
    uint8_t family;      /**< 4 or 6 */
    uint8_t reserved;
    uint16_t port;       /**< host byte order */
    uint8_t address[16]; /**< network order; IPv4 in the first 4 octets */
} smtpcore_dns_endpoint;

/** Servers a resolver can be given (they are copied into its storage). */
#define SMTPCORE_DNS_MAX_SERVERS 8

/** Defaults are resolv.conf(5)'s. */
typedef struct smtpcore_dns_config {
    uint32_t struct_size;                 /**< sizeof(smtpcore_dns_config) as the caller compiled it */
    uint32_t timeout;                     /**< milliseconds per try (5000) */
    const smtpcore_dns_endpoint* servers; /**< tried in order; copied by smtpcore_dns_resolver_init() */
    size_t server_count;                  /**< 1 to SMTPCORE_DNS_MAX_SERVERS */
    uint32_t receive_capacity;            /**< receive buffer (2 + 1232); at least 514; larger TCP answers fail the try */
    uint16_t edns_udp_size;               /**< EDNS0 payload advertised (1232); 0: no EDNS0 (RFC 6891) */
    uint8_t attempts;                     /**< rounds over all servers (2) */
    uint8_t randomize_case;               /**< 0x20: random letter case, echoed exactly (0) */
    uint8_t tcp_fallback;                 /**< TC=1 -> the same server over TCP (1) */
    uint8_t max_cnames;                   /**< CNAME links followed (8) */
    uint8_t reserved[2];
} smtpcore_dns_config;

typedef struct smtpcore_dns_event {
    uint32_t struct_size;  /**< set by the caller: sizeof(smtpcore_dns_event) */
    int32_t type;          /**< smtpcore_dns_event_type */
    int32_t outcome;       /**< DONE: smtpcore_dns_outcome */
    uint8_t server;        /**< SEND_DATAGRAM, OPEN_STREAM: index into the config's servers */
    uint8_t family;        /**< ADDRESS: 4 or 6 */
    uint16_t preference;   /**< MX */
    uint32_t ttl;          /**< ADDRESS, MX */
    uint8_t address[16];   /**< ADDRESS: 4 or 16 octets */
    smtpcore_str name;     /**< MX: the exchange ("." for a null MX); DONE: the name answered */
} smtpcore_dns_event;

#define SMTPCORE_DNS_CONFIG_INIT(config) smtpcore_dns_config_init((config), sizeof(smtpcore_dns_config))
#define SMTPCORE_DNS_EVENT_INIT(event) smtpcore_dns_event_init((event), sizeof(smtpcore_dns_event))
SMTPCORE_C_API void smtpcore_dns_config_init(smtpcore_dns_config* config, size_t struct_size);
SMTPCORE_C_API void smtpcore_dns_event_init(smtpcore_dns_event* event, size_t struct_size);
/** "answer", "nxdomain", ... (static). */
SMTPCORE_C_API const char* smtpcore_dns_outcome_name(int32_t outcome);

/** Bytes of storage a resolver with this config needs (0: config NULL or too small). */
SMTPCORE_C_API size_t smtpcore_dns_resolver_size(const smtpcore_dns_config* config);
/** Builds a resolver in `storage` (aligned to SMTPCORE_CLIENT_ALIGN; not to
 *  be moved while in use). Returns SMTPCORE_E_MISUSE and no resolver for bad
 *  storage, no servers or more than SMTPCORE_DNS_MAX_SERVERS, a zero timeout
 *  or zero attempts. No teardown: free the storage when done. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_resolver_init(void* storage, size_t storage_size,
                                                              const smtpcore_dns_config* config,
                                                              smtpcore_dns_resolver** resolver);
/** Starts resolving `name` (dotted text) for `type` (smtpcore_dns_type), in
 *  state IDLE or DONE. MISUSE or INVALID_INPUT: nothing changed. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_start(smtpcore_dns_resolver* resolver, smtpcore_str name,
                                                      int32_t type);
/** Stops: CLOSE_STREAM if TCP was open, then DONE (FAILED). */
SMTPCORE_C_API void smtpcore_dns_cancel(smtpcore_dns_resolver* resolver);

SMTPCORE_C_API smtpcore_dns_state smtpcore_dns_get_state(const smtpcore_dns_resolver* resolver);
SMTPCORE_C_API smtpcore_dns_outcome smtpcore_dns_get_outcome(const smtpcore_dns_resolver* resolver);
/** Why it failed (TIMEOUT, PEER_VIOLATION, LIMIT_EXCEEDED, MISUSE); OK otherwise. */
SMTPCORE_C_API smtpcore_error smtpcore_dns_last_error(const smtpcore_dns_resolver* resolver);
/** Datagrams and answers dropped because they did not match the query. */
SMTPCORE_C_API uint32_t smtpcore_dns_ignored(const smtpcore_dns_resolver* resolver);
SMTPCORE_C_API int smtpcore_dns_over_tcp(const smtpcore_dns_resolver* resolver);
SMTPCORE_C_API int smtpcore_dns_want_read(const smtpcore_dns_resolver* resolver);
SMTPCORE_C_API int smtpcore_dns_want_write(const smtpcore_dns_resolver* resolver);

SMTPCORE_C_API int smtpcore_dns_want_random(const smtpcore_dns_resolver* resolver);
/** Room for random octets (the query ID, 0x20 case bits); fill it from a CSPRNG. */
SMTPCORE_C_API smtpcore_window smtpcore_dns_random_buf(smtpcore_dns_resolver* resolver);
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_random_ack(smtpcore_dns_resolver* resolver, size_t n);

SMTPCORE_C_API smtpcore_dns_event_type smtpcore_dns_next_event(smtpcore_dns_resolver* resolver,
                                                               smtpcore_dns_event* event);
/** The query: a whole datagram (UDP) or the rest of the framed query (TCP). */
SMTPCORE_C_API smtpcore_str smtpcore_dns_send_buf(const smtpcore_dns_resolver* resolver);
/** UDP: n must be the whole datagram; TCP: up to the window's size. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_send_ack(smtpcore_dns_resolver* resolver, size_t n);
/** Where to read the next datagram or stream bytes (size 0: not now). */
SMTPCORE_C_API smtpcore_window smtpcore_dns_recv_buf(smtpcore_dns_resolver* resolver);
/** A datagram of n octets from `source` was read into the receive window. */
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_datagram_received(smtpcore_dns_resolver* resolver,
                                                                  const smtpcore_dns_endpoint* source, size_t n);
/** n stream octets were read into the receive window (TCP). */
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_recv_ack(smtpcore_dns_resolver* resolver, size_t n);
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_stream_connected(smtpcore_dns_resolver* resolver);
SMTPCORE_C_API void smtpcore_dns_connection_closed(smtpcore_dns_resolver* resolver);

SMTPCORE_C_API smtpcore_millis smtpcore_dns_deadline(const smtpcore_dns_resolver* resolver);
SMTPCORE_C_API void smtpcore_dns_handle_timeout(smtpcore_dns_resolver* resolver, smtpcore_millis now);

/* ---- mail exchangers in RFC 5321 §5.1 order -------------------------------
 * Feed it the MX events of one resolution, then smtpcore_dns_mx_finish():
 * hosts by preference, equal preferences in random order, the implicit MX
 * (no MX: the domain itself) and the null MX (RFC 7505). */

typedef struct smtpcore_dns_mx_list smtpcore_dns_mx_list;

typedef enum smtpcore_dns_mx_verdict {
    SMTPCORE_DNS_MX_PENDING = 0,
    SMTPCORE_DNS_MX_HOSTS = 1,            /**< try the hosts in order */
    SMTPCORE_DNS_MX_IMPLICIT = 2,         /**< no MX records: the domain itself, preference 0 */
    SMTPCORE_DNS_MX_NO_MAIL = 3,          /**< null MX: the domain accepts no mail (permanent) */
    SMTPCORE_DNS_MX_NO_SUCH_DOMAIN = 4,   /**< NXDOMAIN (permanent) */
    SMTPCORE_DNS_MX_TEMPORARY_FAILURE = 5 /**< the lookup failed: try again later */
} smtpcore_dns_mx_verdict;

/** Bytes of storage (SMTPCORE_CLIENT_ALIGN) for a list of up to `capacity` hosts. */
SMTPCORE_C_API size_t smtpcore_dns_mx_list_size(size_t capacity);
SMTPCORE_C_API smtpcore_error_kind smtpcore_dns_mx_list_init(void* storage, size_t storage_size, size_t capacity,
                                                             smtpcore_dns_mx_list** list);
/** One MX event: preference and exchange. */
SMTPCORE_C_API void smtpcore_dns_mx_add(smtpcore_dns_mx_list* list, uint16_t preference, smtpcore_str exchange);
/** Orders the list for the resolution's outcome; `random` gives two octets
 *  per host for the order among equal preferences. Returns the verdict. */
SMTPCORE_C_API smtpcore_dns_mx_verdict smtpcore_dns_mx_finish(smtpcore_dns_mx_list* list, int32_t outcome,
                                                              smtpcore_str domain, smtpcore_str random);
SMTPCORE_C_API size_t smtpcore_dns_mx_count(const smtpcore_dns_mx_list* list);
/** Host i (0-based, below smtpcore_dns_mx_count()): its name, and its preference in *preference. */
SMTPCORE_C_API smtpcore_str smtpcore_dns_mx_host(const smtpcore_dns_mx_list* list, size_t i, uint16_t* preference);

#ifdef __cplusplus
}
#endif

#endif /* SMTPCORE_H */
