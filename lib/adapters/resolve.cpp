#include "resolve.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace smtpcore::adapters::detail {
namespace {

// Shared by the waiting caller and the resolving thread; whoever leaves last
// frees it (and a result nobody waited for).
struct Lookup {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    bool abandoned = false;
    int rc = 0;
    addrinfo* list = nullptr;
};

}  // namespace

AddressList resolve(const std::string& host, const std::string& port, Millis timeout, ResolveFunction function) {
    auto lookup = std::make_shared<Lookup>();
    std::thread([lookup, host, port, function] {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* list = nullptr;
        const int rc = function(host.c_str(), port.c_str(), &hints, &list);
        std::lock_guard<std::mutex> lock(lookup->mutex);
        if (lookup->abandoned) {
            if (rc == 0) freeaddrinfo(list);
            return;
        }
        lookup->rc = rc;
        lookup->list = list;
        lookup->done = true;
        lookup->done_cv.notify_one();
    }).detach();

    std::unique_lock<std::mutex> lock(lookup->mutex);
    if (!lookup->done_cv.wait_for(lock, std::chrono::milliseconds(timeout), [&] { return lookup->done; })) {
        lookup->abandoned = true;
        throw ResolveError("cannot resolve " + host + ": no answer within " + std::to_string(timeout) + " ms", EAI_AGAIN);
    }
    if (lookup->rc != 0) throw ResolveError("cannot resolve " + host + ": " + gai_strerror(lookup->rc), lookup->rc);
    return AddressList(lookup->list);
}

}  // namespace smtpcore::adapters::detail
