// The part of doctest's interface tests/unit uses, for the Cortex-M0+ run
// (tests/cortex-m/run-m0-tests): doctest itself, with its iostreams and
// registry on the heap, does not fit the 16 KiB of RAM and 256 KiB of flash
// of QEMU's micro:bit. Test cases register in a fixed table; a failed CHECK
// prints its file, line and expression through semihosting and marks the
// case failed; a failed REQUIRE also ends the case (longjmp: the code is built
// without exceptions). CAPTURE and INFO are not printed (their operands are
// still compiled, unevaluated; CHECK_MESSAGE's message is dropped). Only
// what tests/unit and tests/mime/test_codec.cpp use is here.
#pragma once

#include <csetjmp>

namespace doctest_lite {

using TestFunction = void (*)();

/// Adds a test case to the table; returns 0 (for a static initializer).
int add_test(const char* name, TestFunction function);
/// Reports a failed assertion of the running case; REQUIRE then leaves it.
void fail(const char* file, int line, const char* macro, const char* expression);
[[noreturn]] void leave_case();

}  // namespace doctest_lite

#define DOCTEST_LITE_CAT2(a, b) a##b
#define DOCTEST_LITE_CAT(a, b) DOCTEST_LITE_CAT2(a, b)
#define DOCTEST_LITE_TEST(name, function)                                                          \
    static void function();                                                                        \
    static const int DOCTEST_LITE_CAT(function, _registered) =                                     \
        doctest_lite::add_test(name, function);                                \
    static void function()
#define TEST_CASE(name) DOCTEST_LITE_TEST(name, DOCTEST_LITE_CAT(doctest_lite_case_, __LINE__))

#define CHECK(...) \
    ((__VA_ARGS__) ? (void)0 : doctest_lite::fail(__FILE__, __LINE__, "CHECK", #__VA_ARGS__))
#define CHECK_FALSE(...) \
    (!(__VA_ARGS__) ? (void)0 : doctest_lite::fail(__FILE__, __LINE__, "CHECK_FALSE", #__VA_ARGS__))
#define CHECK_NOTHROW(...) ((void)(__VA_ARGS__))
#define CHECK_MESSAGE(condition, message) CHECK(condition)
#define REQUIRE(...)                                                             \
    do {                                                                         \
        if (!(__VA_ARGS__)) {                                                    \
            doctest_lite::fail(__FILE__, __LINE__, "REQUIRE", #__VA_ARGS__);     \
            doctest_lite::leave_case();                                          \
        }                                                                        \
    } while (false)
#define CAPTURE(...) ((void)sizeof(__VA_ARGS__))
#define INFO(...) ((void)0)
