// A scripted SMTP server on 127.0.0.1 in a thread, for send_mail() tests:
// one connection, a reply per command verb, the message content kept.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <thread>

namespace smtpcore::test {

class LoopbackServer {
public:
    /// Replies by verb ("EHLO", "AUTH", "QUIT", ...); anything else gets 250.
    /// A reply of "RESET" closes the connection with a TCP reset instead.
    std::map<std::string, std::string> replies;
    std::string data_reply = "250 2.0.0 queued as Q1\r\n";
    std::string body;  ///< what came between 354 and the lone "." (after join())

    LoopbackServer() {
        listener_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        listen(listener_, 1);
        socklen_t len = sizeof a;
        getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
    }
    ~LoopbackServer() {
        join();
        close(listener_);
    }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    void start() { thread_ = std::thread([this] { serve(); }); }
    void join() {
        if (thread_.joinable()) thread_.join();
    }

private:
    void serve() {
        pollfd p{listener_, POLLIN, 0};
        if (poll(&p, 1, 10000) != 1) return;  // bounded: a test that never connects does not hang
        const int fd = accept(listener_, nullptr, nullptr);
        timeval tv{10, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        send_all(fd, "220 loopback.test ESMTP\r\n");
        std::string in;
        bool in_data = false;
        for (char buf[4096];;) {
            const ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            in.append(buf, std::size_t(n));
            for (std::size_t eol; (eol = in.find("\r\n")) != std::string::npos;) {
                const std::string line = in.substr(0, eol);
                in.erase(0, eol + 2);
                if (in_data) {
                    if (line == ".") {
                        in_data = false;
                        send_all(fd, data_reply);
                    } else {
                        body += line + "\r\n";
                    }
                    continue;
                }
                const std::string verb = line.substr(0, 4);
                if (verb == "DATA") {
                    in_data = true;
                    send_all(fd, "354 go ahead\r\n");
                    continue;
                }
                const auto r = replies.find(verb);
                const std::string reply = r != replies.end() ? r->second
                                          : verb == "QUIT"   ? "221 2.0.0 bye\r\n"
                                          : verb == "EHLO"   ? "250-loopback.test\r\n250 8BITMIME\r\n"
                                                             : "250 ok\r\n";
                if (reply == "RESET") {
                    linger l{1, 0};
                    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
                    close(fd);
                    return;
                }
                send_all(fd, reply);
                if (verb == "QUIT") {
                    close(fd);
                    return;
                }
            }
        }
        close(fd);
    }
    static void send_all(int fd, const std::string& s) {
        for (std::size_t off = 0; off < s.size();) {
            const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return;
            off += std::size_t(n);
        }
    }

    int listener_ = -1;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace smtpcore::test
