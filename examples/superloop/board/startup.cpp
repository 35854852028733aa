// Reset and fault handling for a Cortex-M4 (mps2-an386 under QEMU): the
// vector table the core reads at reset (initial stack pointer, then the
// handlers), and a reset handler that prepares C++ before main(): .data
// copied from ROM, .bss zeroed, the FPU enabled, static constructors run.
// A fault reports through semihosting and ends the run with a failure.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "semihosting.hpp"

extern "C" {
extern std::uint32_t _stack_top, _data_start, _data_end, _data_load, _bss_start, _bss_end;
void __libc_init_array();
int main();
void Reset_Handler();
void Fault_Handler();
}

namespace {
using Handler = void (*)();
}

// Armv7-M ARM B1.5.3: word 0 is the initial SP, word 1 the reset vector,
// then NMI, HardFault, MemManage, BusFault, UsageFault.
extern "C" __attribute__((section(".vectors"), used)) const Handler g_vectors[16] = {
    reinterpret_cast<Handler>(&_stack_top), Reset_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, nullptr, nullptr, nullptr, nullptr,
    Fault_Handler /* SVCall */, nullptr, nullptr, Fault_Handler /* PendSV */, Fault_Handler /* SysTick */};

extern "C" void Fault_Handler() {
    board::host_print("fault: the firmware took an exception\n");
    board::host_exit(1);
}

extern "C" void Reset_Handler() {
    std::memcpy(&_data_start, &_data_load,
                static_cast<std::size_t>(reinterpret_cast<char*>(&_data_end) - reinterpret_cast<char*>(&_data_start)));
    std::memset(&_bss_start, 0,
                static_cast<std::size_t>(reinterpret_cast<char*>(&_bss_end) - reinterpret_cast<char*>(&_bss_start)));
#if defined(__ARM_FP)
    // CPACR (Armv7-M ARM B3.2.20): full access to CP10 and CP11, the FPU.
    *reinterpret_cast<volatile std::uint32_t*>(0xE000ED88) |= 0xFu << 20;
    asm volatile("dsb\n isb");
#endif
    __libc_init_array();
    board::host_exit(main());
}

// Linked with -nostartfiles: newlib's __libc_init_array() calls _init(),
// which crti.o would otherwise provide. Constructors come from .init_array.
extern "C" void _init() {}
extern "C" void _fini() {}
// crtbegin.o's handle for __cxa_atexit (static destructors, never run here).
extern "C" void* __dso_handle;
void* __dso_handle = &__dso_handle;

// abort() ends the run through semihosting. newlib's would raise SIGABRT,
// and its signal table is allocated on first use: a heap this firmware does
// not have. (libstdc++ built without exceptions calls abort() where it would
// throw, e.g. std::string_view::substr out of range.)
extern "C" void abort() {
    board::host_print("abort() called\n");
    board::host_exit(1);
}
