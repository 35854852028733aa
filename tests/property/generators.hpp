// RapidCheck generators for server plans, bodies and host chunkings.
#pragma once

#include <rapidcheck.h>

#include <string>
#include <vector>

#include "model_server.hpp"

namespace smtpcore::test::gen {

/// Reply wording: mostly one line, sometimes a few continuation lines, with
/// or without an enhanced status code.
inline rc::Gen<ReplyPlan> reply(rc::Gen<std::uint16_t> code) {
    return rc::gen::build<ReplyPlan>(rc::gen::set(&ReplyPlan::code, code),
                                     rc::gen::set(&ReplyPlan::extra_lines,
                                                  rc::gen::weightedElement<int>({{6, 0}, {2, 1}, {1, 3}})),
                                     rc::gen::set(&ReplyPlan::enhanced, rc::gen::arbitrary<bool>()));
}

// Codes a server may legally send to each command (RFC 5321 §4.3.2), mostly
// success, plus a rare illegal positive code (a broken server).
inline rc::Gen<std::uint16_t> mail_code() {
    return rc::gen::weightedElement<std::uint16_t>(
        {{24, 250}, {1, 421}, {1, 450}, {1, 451}, {1, 452}, {1, 550}, {1, 552}, {1, 553}, {1, 555}, {1, 354}});
}
inline rc::Gen<std::uint16_t> rcpt_code() {
    return rc::gen::weightedElement<std::uint16_t>(
        {{16, 250}, {2, 251}, {1, 421}, {2, 450}, {1, 451}, {2, 452}, {3, 550}, {1, 551}, {1, 553}, {1, 220}});
}
inline rc::Gen<std::uint16_t> data_code() {
    return rc::gen::weightedElement<std::uint16_t>({{24, 354}, {1, 421}, {1, 451}, {1, 503}, {1, 554}, {1, 250}});
}
inline rc::Gen<std::uint16_t> end_code() {
    return rc::gen::weightedElement<std::uint16_t>(
        {{20, 250}, {1, 421}, {1, 451}, {1, 452}, {1, 552}, {1, 554}, {1, 354}});
}

/// Message content with the characters that matter to DATA transparency.
inline rc::Gen<std::string> body() {
    return rc::gen::container<std::string>(
        rc::gen::weightedElement<char>({{8, 'a'}, {3, '.'}, {3, '\r'}, {3, '\n'}, {1, '\0'}, {1, ' '}}));
}

/// The same without NUL: a 7-bit body (RFC 6152 §3, RFC 2045 §2.7), as the
/// sessions below submit BodyType::SevenBit; a NUL there fails the message.
inline rc::Gen<std::string> seven_bit_body() {
    return rc::gen::container<std::string>(
        rc::gen::weightedElement<char>({{8, 'a'}, {3, '.'}, {3, '\r'}, {3, '\n'}, {1, ' '}}));
}

inline rc::Gen<MessagePlan> message(std::size_t recipients) {
    return rc::gen::build<MessagePlan>(
        rc::gen::set(&MessagePlan::mail, reply(mail_code())),
        rc::gen::set(&MessagePlan::rcpt, rc::gen::container<std::vector<ReplyPlan>>(recipients, reply(rcpt_code()))),
        rc::gen::set(&MessagePlan::data, reply(data_code())), rc::gen::set(&MessagePlan::end, reply(end_code())),
        rc::gen::set(&MessagePlan::body, seven_bit_body()));
}

inline rc::Gen<ServerPlan> server() {
    return rc::gen::build<ServerPlan>(rc::gen::set(&ServerPlan::pipelining, rc::gen::arbitrary<bool>()),
                                      rc::gen::set(&ServerPlan::eight_bit, rc::gen::arbitrary<bool>()),
                                      rc::gen::set(&ServerPlan::enhanced_codes, rc::gen::arbitrary<bool>()),
                                      rc::gen::set(&ServerPlan::chunking, rc::gen::arbitrary<bool>()),
                                      rc::gen::set(&ServerPlan::ehlo_filler, rc::gen::inRange(0, 40)));
}

inline rc::Gen<std::vector<std::size_t>> sizes() {
    return rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(1, 40));
}

inline rc::Gen<Chunking> chunking() {
    return rc::gen::build<Chunking>(rc::gen::set(&Chunking::input, sizes()), rc::gen::set(&Chunking::acks, sizes()),
                                    rc::gen::set(&Chunking::body, sizes()));
}

}  // namespace smtpcore::test::gen
