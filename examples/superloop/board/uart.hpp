// The UARTs of the mps2-an386 board: ARM CMSDK APB UARTs, UART0 at
// 0x40004000 and UART1 at 0x40005000 (ARM DDI 0479, "Cortex-M System Design
// Kit", §4.2; AN386). Polled, one byte at a time; QEMU connects each to what
// its -serial option names, in order (here TCP sockets).
#pragma once

#include <cstdint>

namespace board {

constexpr std::uintptr_t kUart0 = 0x40004000, kUart1 = 0x40005000;

class Uart {
public:
    explicit constexpr Uart(std::uintptr_t base) : base_(base) {}
    void init() {
        reg(kBaudDiv) = 16;               // the smallest divisor the UART accepts
        reg(kCtrl) = kTxEnable | kRxEnable;
    }
    /// Sends one byte if the transmit buffer has room.
    bool try_send(std::uint8_t byte) {
        if (reg(kState) & kTxFull) return false;
        reg(kData) = byte;
        return true;
    }
    /// Takes one received byte if there is one.
    bool try_receive(std::uint8_t& byte) {
        if (!(reg(kState) & kRxFull)) return false;
        byte = static_cast<std::uint8_t>(reg(kData));
        return true;
    }

private:
    static constexpr std::uintptr_t kData = 0x00, kState = 0x04, kCtrl = 0x08, kBaudDiv = 0x10;
    static constexpr std::uint32_t kTxFull = 1u << 0, kRxFull = 1u << 1;
    static constexpr std::uint32_t kTxEnable = 1u << 0, kRxEnable = 1u << 1;
    volatile std::uint32_t& reg(std::uintptr_t offset) const {
        return *reinterpret_cast<volatile std::uint32_t*>(base_ + offset);
    }
    std::uintptr_t base_;
};

/// Milliseconds from the SysTick timer, polled (no interrupt): the core's
/// 25 MHz clock counted down from 25000 sets COUNTFLAG once a millisecond
/// (Armv7-M ARM B3.3). Call tick() often; a missed wrap only slows the clock.
class MillisecondClock {
public:
    void init() {
        reg(kReload) = 25000 - 1;
        reg(kCurrent) = 0;
        reg(kControl) = kEnable | kProcessorClock;
    }
    std::uint32_t tick() {
        if (reg(kControl) & kCountFlag) ++now_;  // reading clears the flag
        return now_;
    }

private:
    static constexpr std::uintptr_t kControl = 0xE000E010, kReload = 0xE000E014, kCurrent = 0xE000E018;
    static constexpr std::uint32_t kEnable = 1u << 0, kProcessorClock = 1u << 2, kCountFlag = 1u << 16;
    static volatile std::uint32_t& reg(std::uintptr_t address) {
        return *reinterpret_cast<volatile std::uint32_t*>(address);
    }
    std::uint32_t now_ = 0;
};

}  // namespace board
