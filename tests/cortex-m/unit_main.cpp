// The unit tests' main on the emulated Cortex-M4: doctest, its output on the
// host's stdout through semihosting (newlib's librdimon), no signals, no
// threads. The exit code leaves QEMU through SYS_EXIT (startup.cpp).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

extern "C" void initialise_monitor_handles();

int main() {
    initialise_monitor_handles();  // stdin/stdout/stderr through semihosting
    doctest::Context context;
    context.setOption("no-colors", true);
    context.setOption("no-path-filenames", true);
    // The documentation drift checks read README.md and docs/ from the
    // source tree: host files, not the engine. They run in the host suite.
    context.setOption("test-case-exclude", "README: the example in README.md*,docs/state-machine.md*");
    return context.run();
}
