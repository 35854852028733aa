// <netdb.h> for mingw-w64 (see ../posix_compat.hpp): getaddrinfo and its
// error codes live in Winsock's headers. WSAStartup runs when the Winsock
// transport is linked (lib/adapters/winsock_socket.cpp).
#pragma once
#include <winsock2.h>
#include <ws2tcpip.h>
// With UNICODE defined gai_strerror is the wide one; the CLI wants bytes.
#undef gai_strerror
#define gai_strerror gai_strerrorA
