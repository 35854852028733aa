// The relay's name resolved on the device with smtpcore's builtin resolver
// (lib/dns), its queries carried over a serial link to a bridge that
// forwards them to a recursive DNS server as UDP datagrams.
#pragma once

#include <cstdint>
#include <string_view>

#include "board/uart.hpp"

namespace superloop {

/// Resolves `host` (A) through `link`; true with the first address in `out`.
/// Each query and answer crosses the link with the 2-octet length prefix of
/// DNS over TCP (RFC 1035 §4.2.2), since a serial line has no datagrams.
bool resolve_ipv4(board::Uart& link, board::MillisecondClock& clock, std::string_view host, std::uint8_t out[4]);

}  // namespace superloop
