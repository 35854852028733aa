// The Schannel TLS backend (SSPI, part of Windows: no extra dependency) over
// the byte-queue contract of tls.hpp: Schannel never sees the socket, the
// Driver moves every record, as with the OpenSSL backend.
//
// Protocol: TLS 1.2 exactly. The SCHANNEL_CRED structure used here cannot
// enable TLS 1.3 on Windows (that needs SCH_CREDENTIALS, Windows 10 1809+),
// and TLS 1.3's post-handshake messages arrive as SEC_I_RENEGOTIATE, which
// this backend refuses like a real renegotiation (tls.hpp's contract).
// Verification: Schannel is told to skip it (manual validation) and
// schannel_verify.cpp checks the chain and the name once the handshake ends.
#define SECURITY_WIN32
#include <winsock2.h>  // before windows.h (schannel_verify.hpp needs it)
#include <windows.h>
#include <schannel.h>
#include <security.h>
#include <sspi.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "schannel_verify.hpp"
#include "smtpcore/adapters/tls.hpp"
#include "win_text.hpp"

namespace smtpcore::adapters {
namespace {

constexpr DWORD kContextFlags = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
                                ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_EXTENDED_ERROR |
                                ISC_REQ_MANUAL_CRED_VALIDATION;

std::string sspi_text(SECURITY_STATUS status) { return detail::windows_error_text(static_cast<unsigned long>(status)); }

// A TLS record is complete when its 5-byte header and the length it states are in.
bool record_complete(const std::string& in) {
    if (in.size() < 5) return false;
    const std::size_t length = (static_cast<unsigned char>(in[3]) << 8) | static_cast<unsigned char>(in[4]);
    return in.size() >= 5 + length;
}

// RFC 8446 §5.1 / RFC 5246 §6.2.1: a record starts with a content type
// (20-24) and a legacy version 3.x. Plaintext from a server that never
// started TLS starts otherwise.
bool looks_like_tls(const std::string& in) {
    const auto type = static_cast<unsigned char>(in[0]);
    return type >= 20 && type <= 24 && (in.size() < 2 || in[1] == 3);
}

class SchannelTls final : public TlsBackend {
public:
    explicit SchannelTls(const TlsOptions& options) : options_(options), peer_(normalize_peer_name(options.server_name)) {
        if (options_.ca_file_only && options_.ca_file.empty())
            throw std::runtime_error("ca_file_only without a ca_file: nothing would be trusted");
        // Loaded even with --insecure so a bad path is reported (as OpenSSL does).
        if (!options_.ca_file.empty()) extra_ = detail::load_pem_store(options_.ca_file);
    }

    ~SchannelTls() override {
        if (have_context_) DeleteSecurityContext(&context_);
        if (have_credentials_) FreeCredentialsHandle(&credentials_);
    }

    bool start() override {
        if (options_.verify && peer_.name.empty()) {
            error_ = "cannot verify the server: no server name or IP address to check the certificate against";
            return false;
        }
        SCHANNEL_CRED cred{};
        cred.dwVersion = SCHANNEL_CRED_VERSION;
        cred.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;  // the minimum, and here the maximum (see top)
        cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS | SCH_USE_STRONG_CRYPTO;
        TimeStamp expiry;
        const SECURITY_STATUS s = AcquireCredentialsHandleW(nullptr, const_cast<wchar_t*>(UNISP_NAME_W),
                                                            SECPKG_CRED_OUTBOUND, nullptr, &cred, nullptr, nullptr,
                                                            &credentials_, &expiry);
        if (s != SEC_E_OK) return fail("AcquireCredentialsHandle", s);
        have_credentials_ = true;
        // RFC 6066 §3: SNI carries host names only; an IP literal sends none.
        if (!peer_.is_ip) target_ = detail::widen(peer_.name);
        return true;
    }

    HandshakeStatus handshake() override {
        if (done_) return HandshakeStatus::Done;
        if (failed_) return HandshakeStatus::Failed;
        if (!have_context_) return step_handshake(nullptr);  // the ClientHello
        while (!in_.empty()) {
            if (!looks_like_tls(in_)) {
                // Some Schannel builds (wine's) wait for more instead of failing.
                failed_ = true;
                error_ = "TLS handshake failed: the server's answer is not a TLS record";
                return HandshakeStatus::Failed;
            }
            const HandshakeStatus st = step_handshake(&in_);
            if (st != HandshakeStatus::InProgress || incomplete_) return st;
        }
        return HandshakeStatus::InProgress;
    }

    void feed_cipher(Bytes data) override { in_.append(data.data(), data.size()); }
    void feed_eof() override { eof_ = true; }

    std::size_t take_cipher(MutableBytes out) override {
        const std::size_t n = std::min(out.size(), out_.size());
        std::memcpy(out.data(), out_.data(), n);
        out_.erase(0, n);
        return n;
    }
    bool cipher_pending() const override { return !out_.empty(); }

    IoResult read(MutableBytes out) override {
        while (plain_.empty()) {
            if (close_notify_) return {0, IoStatus::Eof};
            if (in_.empty() || !record_complete(in_)) {
                // A bare end of stream is Eof, never Failed (tls.hpp).
                if (eof_) return {0, IoStatus::Eof};
                return {0, IoStatus::WouldBlock};
            }
            if (!decrypt()) return {0, IoStatus::Failed};
        }
        const std::size_t n = std::min(out.size(), plain_.size());
        std::memcpy(out.data(), plain_.data(), n);
        plain_.erase(0, n);
        return {n, IoStatus::Ok};
    }

    IoResult write(Bytes data) override {
        if (data.empty()) return {0, IoStatus::Ok};
        const std::size_t chunk = std::min<std::size_t>(data.size(), sizes_.cbMaximumMessage);
        std::string record(sizes_.cbHeader + chunk + sizes_.cbTrailer, '\0');
        std::memcpy(&record[sizes_.cbHeader], data.data(), chunk);
        SecBuffer buffers[4] = {
            {sizes_.cbHeader, SECBUFFER_STREAM_HEADER, &record[0]},
            {static_cast<unsigned long>(chunk), SECBUFFER_DATA, &record[sizes_.cbHeader]},
            {sizes_.cbTrailer, SECBUFFER_STREAM_TRAILER, &record[sizes_.cbHeader + chunk]},
            {0, SECBUFFER_EMPTY, nullptr},
        };
        SecBufferDesc desc{SECBUFFER_VERSION, 4, buffers};
        const SECURITY_STATUS s = EncryptMessage(&context_, 0, &desc, 0);
        if (s != SEC_E_OK) {
            error_ = "TLS error: EncryptMessage: " + sspi_text(s);
            return {0, IoStatus::Failed};
        }
        out_.append(record.data(), buffers[0].cbBuffer + buffers[1].cbBuffer + buffers[2].cbBuffer);
        return {chunk, IoStatus::Ok};
    }

    bool plaintext_pending() const override { return !plain_.empty() || record_complete(in_); }

    bool shutdown() override {
        // The documented way to a close_notify: SCHANNEL_SHUTDOWN, then one
        // more InitializeSecurityContext call that produces the alert.
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer token{sizeof type, SECBUFFER_TOKEN, &type};
        SecBufferDesc desc{SECBUFFER_VERSION, 1, &token};
        const SECURITY_STATUS s = ApplyControlToken(&context_, &desc);
        if (s != SEC_E_OK) return fail("TLS shutdown failed: ApplyControlToken", s);
        SecBuffer out{0, SECBUFFER_TOKEN, nullptr};
        SecBufferDesc out_desc{SECBUFFER_VERSION, 1, &out};
        DWORD attributes = 0;
        const SECURITY_STATUS t = InitializeSecurityContextW(&credentials_, &context_, nullptr, kContextFlags, 0, 0,
                                                             nullptr, 0, nullptr, &out_desc, &attributes, nullptr);
        take_token(out);
        if (t != SEC_E_OK && t != SEC_I_CONTEXT_EXPIRED) return fail("TLS shutdown failed", t);
        return true;
    }

    bool close_notify_received() const override { return close_notify_; }
    std::string error() const override { return error_; }

    std::string description() const override {
        SecPkgContext_ConnectionInfo info{};
        if (!done_ || QueryContextAttributesW(const_cast<CtxtHandle*>(&context_), SECPKG_ATTR_CONNECTION_INFO, &info) !=
                          SEC_E_OK)
            return "no TLS";
        const char* version = (info.dwProtocol & SP_PROT_TLS1_2_CLIENT) != 0 ? "TLSv1.2" : "TLS";
        char cipher[96];
        wsprintfA(cipher, " Schannel cipher 0x%04lx/%lu bits, exchange 0x%04lx", static_cast<unsigned long>(info.aiCipher),
                  static_cast<unsigned long>(info.dwCipherStrength), static_cast<unsigned long>(info.aiExch));
        return std::string(version) + cipher;
    }

private:
    // One InitializeSecurityContext call over `input` (null: the first one).
    HandshakeStatus step_handshake(std::string* input) {
        incomplete_ = false;
        SecBuffer in[2] = {{0, SECBUFFER_TOKEN, nullptr}, {0, SECBUFFER_EMPTY, nullptr}};
        if (input != nullptr) {
            in[0].cbBuffer = static_cast<unsigned long>(input->size());
            in[0].pvBuffer = input->data();
        }
        SecBufferDesc in_desc{SECBUFFER_VERSION, 2, in};
        SecBuffer out[2] = {{0, SECBUFFER_TOKEN, nullptr}, {0, SECBUFFER_ALERT, nullptr}};
        SecBufferDesc out_desc{SECBUFFER_VERSION, 2, out};
        DWORD attributes = 0;
        wchar_t* target = target_.empty() ? nullptr : target_.data();
        const SECURITY_STATUS s = InitializeSecurityContextW(
            &credentials_, have_context_ ? &context_ : nullptr, have_context_ ? nullptr : target, kContextFlags, 0, 0,
            input != nullptr ? &in_desc : nullptr, 0, have_context_ ? nullptr : &context_, &out_desc, &attributes,
            nullptr);
        if (s == SEC_E_INCOMPLETE_MESSAGE) {  // a partial record: wait for more
            incomplete_ = true;
            return HandshakeStatus::InProgress;
        }
        if (!have_context_ && (s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED || s == SEC_I_INCOMPLETE_CREDENTIALS))
            have_context_ = true;
        take_token(out[0]);  // a flight, or the alert that tells the server why (ISC_REQ_EXTENDED_ERROR)
        take_token(out[1]);
        if (input != nullptr) keep_extra(in[1], *input);
        if (s == SEC_I_CONTINUE_NEEDED || s == SEC_I_INCOMPLETE_CREDENTIALS) return HandshakeStatus::InProgress;
        if (s != SEC_E_OK) {
            failed_ = true;
            error_ = "TLS handshake failed: " + sspi_text(s);
            return HandshakeStatus::Failed;
        }
        return finish_handshake();
    }

    HandshakeStatus finish_handshake() {
        if (QueryContextAttributesW(&context_, SECPKG_ATTR_STREAM_SIZES, &sizes_) != SEC_E_OK) {
            failed_ = true;
            error_ = "TLS handshake failed: no stream sizes";
            return HandshakeStatus::Failed;
        }
        if (options_.verify) {
            PCCERT_CONTEXT certificate = nullptr;
            const SECURITY_STATUS s =
                QueryContextAttributesW(&context_, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &certificate);
            std::string why = s != SEC_E_OK || certificate == nullptr
                                  ? "the server sent no certificate"
                                  : detail::verify_server_certificate(certificate, peer_, extra_.get(),
                                                                      options_.ca_file_only);
            if (certificate != nullptr) CertFreeCertificateContext(certificate);
            if (!why.empty()) {
                failed_ = true;
                error_ = "TLS handshake failed: certificate verification failed: " + why;
                return HandshakeStatus::Failed;
            }
        }
        done_ = true;
        return HandshakeStatus::Done;
    }

    // Decrypts the record at the front of in_ into plain_.
    bool decrypt() {
        SecBuffer buffers[4] = {{static_cast<unsigned long>(in_.size()), SECBUFFER_DATA, in_.data()},
                                {0, SECBUFFER_EMPTY, nullptr},
                                {0, SECBUFFER_EMPTY, nullptr},
                                {0, SECBUFFER_EMPTY, nullptr}};
        SecBufferDesc desc{SECBUFFER_VERSION, 4, buffers};
        const SECURITY_STATUS s = DecryptMessage(&context_, &desc, 0, nullptr);
        if (s == SEC_I_CONTEXT_EXPIRED) {  // the peer's close_notify
            close_notify_ = true;
            in_.clear();
            return true;
        }
        if (s == SEC_I_RENEGOTIATE) {
            error_ = "TLS error: the server asked to renegotiate (refused)";
            return false;
        }
        if (s != SEC_E_OK) {
            error_ = "TLS error: DecryptMessage: " + sspi_text(s);
            return false;
        }
        std::string rest;
        for (const SecBuffer& b : buffers) {
            if (b.BufferType == SECBUFFER_DATA) plain_.append(static_cast<const char*>(b.pvBuffer), b.cbBuffer);
            if (b.BufferType == SECBUFFER_EXTRA) rest.assign(static_cast<const char*>(b.pvBuffer), b.cbBuffer);
        }
        in_ = std::move(rest);  // decrypted in place: only the next records are kept
        return true;
    }

    void take_token(SecBuffer& token) {
        if (token.pvBuffer == nullptr) return;
        out_.append(static_cast<const char*>(token.pvBuffer), token.cbBuffer);
        FreeContextBuffer(token.pvBuffer);
        token.pvBuffer = nullptr;
    }

    // What Schannel did not consume (SECBUFFER_EXTRA) stays at the front.
    static void keep_extra(const SecBuffer& extra, std::string& input) {
        if (extra.BufferType == SECBUFFER_EXTRA && extra.cbBuffer > 0 && extra.cbBuffer <= input.size())
            input.erase(0, input.size() - extra.cbBuffer);
        else
            input.clear();
    }

    bool fail(const char* what, SECURITY_STATUS s) {
        error_ = std::string(what) + ": " + sspi_text(s);
        return false;
    }

    TlsOptions options_;
    PeerName peer_;
    detail::CertStore extra_;  // the CA file's certificates, if any
    std::wstring target_;      // SNI and Schannel's target name (empty for an IP)
    CredHandle credentials_{};
    CtxtHandle context_{};
    bool have_credentials_ = false;
    bool have_context_ = false;
    SecPkgContext_StreamSizes sizes_{};
    std::string in_, out_, plain_;  // ciphertext in, ciphertext out, decrypted
    bool incomplete_ = false, done_ = false, failed_ = false, eof_ = false, close_notify_ = false;
    std::string error_;
};

}  // namespace

std::unique_ptr<TlsBackend> make_schannel_tls(const TlsOptions& options) {
    return std::make_unique<SchannelTls>(options);
}


}  // namespace smtpcore::adapters
