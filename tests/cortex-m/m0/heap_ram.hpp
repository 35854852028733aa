// The heap and stack of the Cortex-M0+ test run: the heap takes what RAM the
// micro:bit has left between the end of .bss and a reserve for the stack at
// the top. The reserve is painted, so the deepest the stack went is known.
#pragma once

#include <cstddef>

namespace board {
std::size_t heap_peak();      ///< the most the heap has grown to, in bytes
std::size_t heap_capacity();  ///< the bytes it may grow to
void paint_stack();           ///< marks the unused part of the stack reserve
std::size_t stack_peak();     ///< the deepest the stack went since, in bytes
bool stack_overflowed();      ///< the stack reached the bottom of its reserve
}  // namespace board
