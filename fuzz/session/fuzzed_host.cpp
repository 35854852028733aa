// The fuzzed host: FuzzedDataProvider picks the configuration, then a
// sequence of actions — server bytes (raw, or one of a set of well-formed
// replies so the fuzzer reaches deep states quickly) fed in fuzzed pieces,
// partial output acknowledgements, clock steps, and every application
// command, at any time, legal or not. Events are pulled after every action,
// as the host loop in client.hpp does.
#include <string>
#include <string_view>

#include "alloc_probe.hpp"
#include "checked_session.hpp"
#include "fuzzed_data_provider.hpp"
#include "hosts.hpp"
#include "report.hpp"

namespace smtpcore::fuzz {
namespace {

// Replies a server could send; the fuzzer combines them with raw bytes.
constexpr std::string_view kReplies[] = {
    "220 mx.example ESMTP\r\n",
    "250 ok\r\n",
    "250 2.1.5 ok\r\n",
    "251 will forward\r\n",
    "354 go ahead\r\n",
    "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 STARTTLS\r\n",
    "250-mx.example\r\n250-AUTH PLAIN LOGIN\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n",
    "250-mx.example\r\n250-AUTH=LOGIN\r\n250 STARTTLS\r\n",
    "250 mx.example\r\n",
    "220 2.0.0 ready to start TLS\r\n",
    "334 \r\n",
    "334 VXNlcm5hbWU6\r\n",
    "334 UGFzc3dvcmQ6\r\n",
    "334 not base64!\r\n",
    "235 2.7.0 authenticated\r\n",
    "535 5.7.8 bad credentials\r\n",
    "421 4.3.2 shutting down\r\n",
    "221 2.0.0 bye\r\n",
    "450 4.2.0 try later\r\n",
    "451-4.3.0 multi\r\n451 4.3.0 line\r\n",
    "452 too many recipients\r\n",
    "454 4.7.0 TLS not available\r\n",
    "500 5.5.1 unknown command\r\n",
    "501 syntax\r\n",
    "502 not implemented\r\n",
    "550 5.1.1 no such user\r\n",
    "552 5.3.4 too big\r\n",
    "554 5.7.1 rejected\r\n",
    "250 2.0.0 queued as 1234\r\n",
};

// With the "+" prefix only (so older inputs keep their meaning): EHLO
// replies offering DSN, REQUIRETLS and SMTPUTF8 (RFC 3461, 8689, 6531).
constexpr std::string_view kExtensionReplies[] = {
    "250-mx.example\r\n250-PIPELINING\r\n250-DSN\r\n250-SMTPUTF8\r\n250 REQUIRETLS\r\n",
    "250-mx.example\r\n250-DSN\r\n250 STARTTLS\r\n",
    "250-mx.example\r\n250-PIPELINING\r\n250-AUTH PLAIN\r\n250-DSN\r\n250 REQUIRETLS\r\n",
};

Config fuzzed_config(FuzzedDataProvider& fdp) {
    Config c;
    c.client_name = fdp.ConsumeBool() ? "client.example" : "[192.0.2.1]";
    c.tls = static_cast<TlsMode>(fdp.ConsumeIntegralInRange<int>(0, 3));
    if (fdp.ConsumeBool()) {
        static const std::string long_password(200, 'p');  // AUTH PLAIN without an initial response
        c.username = "user@example.org";
        c.password = fdp.ConsumeBool() ? std::string_view("secret") : std::string_view(long_password);
        c.auth = static_cast<AuthChoice>(fdp.ConsumeIntegralInRange<int>(0, 2));
        c.allow_plaintext_auth = fdp.ConsumeBool();
    }
    c.recipients = fdp.ConsumeBool() ? RecipientPolicy::AnyAccepted : RecipientPolicy::AllRequired;
    c.accept_bare_lf_in_replies = fdp.ConsumeBool();
    c.reply_text_capacity = fdp.ConsumeIntegralInRange<std::uint16_t>(8, 300);
    c.recv_capacity = fdp.ConsumeIntegralInRange<std::uint16_t>(4, 200);
    c.limits.reply_line = fdp.ConsumeIntegralInRange<std::uint16_t>(32, 1024);
    c.limits.reply_lines = fdp.ConsumeIntegralInRange<std::uint16_t>(0, 300);
    c.limits.sasl_challenges = fdp.ConsumeIntegralInRange<std::uint8_t>(0, 6);
    if (fdp.ConsumeBool()) c.timeouts = Timeouts::all(fdp.ConsumeIntegralInRange<Duration>(1, 1000000));
    // 0 is refused at construction; small bounds keep the queue of outstanding commands full.
    if (fdp.ConsumeBool()) c.limits.commands_in_flight = fdp.ConsumeIntegralInRange<std::uint8_t>(0, 8);
    // BDAT or DATA (RFC 3030), from a value already drawn, so that the corpus
    // (regression seeds included) is read as before: Auto, Never or Always.
    c.chunking = static_cast<ChunkingPolicy>(c.recv_capacity % 3);
    // Several BDAT messages in flight (1 to 4), drawn the same way.
    c.limits.messages_in_flight = static_cast<std::uint8_t>(1 + c.limits.reply_line % 4);
    // LMTP (RFC 2033) for one config in eight, drawn the same way; it refuses BDAT forced.
    if (c.limits.reply_lines % 8 == 7) {
        c.protocol = Protocol::Lmtp;
        if (c.chunking == ChunkingPolicy::Always) c.chunking = ChunkingPolicy::Auto;
    }
    return c;
}

test::CheckedSession::Submission fuzzed_submission(FuzzedDataProvider& fdp, bool envelope_extensions) {
    static constexpr std::string_view kAddresses[] = {
        "a@example.org", "b@example.net", "\"quoted local\"@example.org", "u@[192.0.2.7]", "d\xc3\xa9j\xc3\xa0@example.fr",
        "bad address",   "x@y\r\nRSET",   "",
    };
    test::CheckedSession::Submission s;
    auto pick = [&] {
        if (fdp.ConsumeProbability<float>() < 0.1f) return fdp.ConsumeRandomLengthString(80);
        return std::string(kAddresses[fdp.ConsumeIntegralInRange<std::size_t>(0, 7)]);
    };
    s.from = pick();
    for (int n = fdp.ConsumeIntegralInRange(0, 5); n > 0; --n) s.recipients.push_back(pick());
    s.size_hint = fdp.ConsumeBool() ? 0 : fdp.ConsumeIntegralInRange<std::uint64_t>(0, 5000);
    s.eight_bit = fdp.ConsumeProbability<float>() < 0.2f;
    s.smtputf8 = fdp.ConsumeProbability<float>() < 0.2f;
    if (!envelope_extensions) return s;
    // DSN (RFC 3461) with hostile values: CR/LF, '+', '=', spaces, UTF-8.
    if (fdp.ConsumeProbability<float>() < 0.5f) {
        static constexpr std::string_view kValues[] = {"QQ314159", "a b+c=d", "x\r\nRSET", "b@example.net",
                                                       "j\xc3\xb6ran@example.org", "\"a+b=c\"@example.org", ""};
        auto value = [&] {
            if (fdp.ConsumeProbability<float>() < 0.2f) return fdp.ConsumeRandomLengthString(120);
            return std::string(kValues[fdp.ConsumeIntegralInRange<std::size_t>(0, 6)]);
        };
        s.dsn = true;
        s.ret = static_cast<DsnReturn>(fdp.ConsumeIntegralInRange(0, 3));
        s.envid = value();
        s.notify = fdp.ConsumeIntegral<std::uint8_t>() & 0x1f;
        if (fdp.ConsumeBool())
            for (std::size_t i = 0; i < s.recipients.size(); ++i) s.orcpt.push_back(value());
    }
    s.require_tls = fdp.ConsumeProbability<float>() < 0.1f;
    // NOTIFY per recipient (drawn last, so older seeds read as before); now
    // and then one too many, which submit() refuses.
    if (s.dsn && fdp.ConsumeBool())
        for (std::size_t i = 0; i < s.recipients.size() + (fdp.ConsumeProbability<float>() < 0.1f ? 1 : 0); ++i)
            s.notify_each.push_back(fdp.ConsumeIntegral<std::uint8_t>() & 0x1f);
    return s;
}

std::string fuzzed_body_piece(FuzzedDataProvider& fdp) {
    static constexpr std::string_view kPieces[] = {
        "\r\n.\r\n", ".", "\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r\r\n.\r\n", "..\r\n", "\r", "\n",
        std::string_view("a\0b\r\n", 5), "Subject: x\r\n\r\nbody\r\n",
    };
    if (fdp.ConsumeBool()) return std::string(kPieces[fdp.ConsumeIntegralInRange<std::size_t>(0, 11)]);
    if (fdp.ConsumeProbability<float>() < 0.05f) return std::string(fdp.ConsumeIntegralInRange<std::size_t>(1, 1200), 'x');
    return fdp.ConsumeRandomLengthString(300);
}

// The "server socket": bytes sent but not yet read by the engine.
struct ServerPipe {
    std::string pending;
    void deliver(test::CheckedSession& s, std::size_t chunk) {
        std::size_t offered = pending.size() < chunk ? pending.size() : chunk;
        const std::size_t taken = s.feed(std::string_view(pending).substr(0, offered));
        pending.erase(0, taken);
    }
};

void application_command(FuzzedDataProvider& fdp, test::CheckedSession& s) {
    switch (fdp.ConsumeIntegralInRange(0, 15)) {
    case 0: s.abort(); break;
    case 1: s.connection_closed(); break;
    case 2: s.body_fail(); break;
    case 3: case 4: s.cancel(); break;
    case 5: case 6: s.quit(); break;
    default: s.tls_established(); break;
    }
}

}  // namespace

void run_fuzzed_host(const std::uint8_t* data, std::size_t size, bool envelope_extensions) {
    FuzzedDataProvider fdp(data, size);
    const Config config = fuzzed_config(fdp);
    const std::size_t storage = Client::min_storage(config) + fdp.ConsumeIntegralInRange<std::size_t>(0, 1500);
    test::CheckedSession s(config, storage, &allocations);
    ServerPipe server;
    s.drain();
    if (envelope_extensions && fdp.ConsumeBool()) {
        // A head start towards a transaction: the greeting, then (the EHLO
        // handed out) a reply offering DSN and REQUIRETLS.
        server.pending += kReplies[0];
        server.deliver(s, 512);
        s.drain();
        s.ack(4096);
        server.pending += kExtensionReplies[fdp.ConsumeIntegralInRange<std::size_t>(0, std::size(kExtensionReplies) - 1)];
        server.deliver(s, 512);
        s.drain();
    }
    for (int step = 0; step < 4000 && fdp.remaining_bytes() > 0; ++step) {
        switch (fdp.ConsumeIntegralInRange(0, 12)) {
        case 0: case 1: {
            const std::size_t n = std::size(kReplies) + (envelope_extensions ? std::size(kExtensionReplies) : 0);
            const std::size_t i = fdp.ConsumeIntegralInRange<std::size_t>(0, n - 1);
            server.pending += i < std::size(kReplies) ? kReplies[i] : kExtensionReplies[i - std::size(kReplies)];
            server.deliver(s, fdp.ConsumeIntegralInRange<std::size_t>(1, 512));
            break;
        }
        case 2:
            server.pending += fdp.ConsumeRandomLengthString(128);
            server.deliver(s, fdp.ConsumeIntegralInRange<std::size_t>(1, 512));
            break;
        case 3:
            server.deliver(s, fdp.ConsumeIntegralInRange<std::size_t>(1, 512));
            break;
        case 4:
            s.ack(fdp.ConsumeIntegralInRange<std::size_t>(0, 600));
            break;
        case 5:  // handed out, written later: replies may come first
            s.hand_out();
            break;
        case 6:
            s.advance_time(fdp.ConsumeIntegralInRange<Millis>(0, 700000));
            break;
        case 7:
            s.submit(fuzzed_submission(fdp, envelope_extensions));
            break;
        case 8: case 9:
            s.body(fuzzed_body_piece(fdp));
            break;
        case 10:
            s.body_end();
            break;
        default:
            application_command(fdp, s);
            break;
        }
        s.drain();
        stop_if_violated(s);
    }
    s.finish();
    print_if_verbose(s);
    stop_if_violated(s);
}

}  // namespace smtpcore::fuzz
