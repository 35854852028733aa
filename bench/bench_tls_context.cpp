// What an OpenSSL backend costs to build and start. The first one for a set
// of trust settings builds the SSL_CTX and loads the system trust store;
// later ones share that context (docs/adapters.md, "One SSL_CTX per trust
// setting"). Prints microseconds.
//   ./build/bench/bench_tls_context [iterations]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "smtpcore/adapters/tls.hpp"

namespace {

double micros(const smtpcore::adapters::TlsOptions& options, int n) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        auto tls = smtpcore::adapters::make_openssl_tls(options);
        if (!tls->start()) return -1;
    }
    const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
    return took.count() / n;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
    smtpcore::adapters::TlsOptions verified;
    verified.server_name = "mail.example.com";
    smtpcore::adapters::TlsOptions insecure = verified;
    insecure.verify = false;
    std::printf("first backend, system store loaded:  %.1f us\n", micros(verified, 1));
    std::printf("each further backend (shared store): %.1f us (mean of %d)\n", micros(verified, n), n);
    std::printf("first backend without a store:       %.1f us\n", micros(insecure, 1));
    std::printf("each further one without a store:    %.1f us (mean of %d)\n", micros(insecure, n), n);
    return 0;
}
