// The few POSIX names smtpcore-send uses that mingw-w64 lacks, so the CLI's
// sources build for Windows unchanged. Force-included by tools/meson.build
// when the host is Windows; never seen by a POSIX build.
#pragma once

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

// Handles are not inherited (the CLI starts --password-command); binary mode
// so that message bytes reach the engine as they are on disk.
#ifndef O_CLOEXEC
#define O_CLOEXEC (_O_NOINHERIT | _O_BINARY)
#endif
// Only FIFOs need it on POSIX (an open that would wait for a writer);
// Windows has no FIFOs in the file system.
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif
#ifndef S_ISSOCK
#define S_ISSOCK(mode) 0
#endif

// pread(2): a read at an offset that leaves the file position where it was.
inline long long pread(int fd, void* buf, unsigned long long count, long long offset) {
    const long long saved = _lseeki64(fd, 0, SEEK_CUR);
    if (saved < 0 || _lseeki64(fd, offset, SEEK_SET) < 0) return -1;
    const unsigned chunk = count > 0x7fffffffULL ? 0x7fffffffU : static_cast<unsigned>(count);
    const int n = _read(fd, buf, chunk);
    _lseeki64(fd, saved, SEEK_SET);
    return n;
}

// Windows hands main() its arguments in the ANSI code page, where a file name
// like "tést-€.txt" may not even exist; the CLI works in UTF-8 (as POSIX
// systems do). Rebuilds argv from the UTF-16 command line; main() calls it.
#include <winsock2.h>  // before windows.h, as Winsock wants
#include <windows.h>
#include <shellapi.h>

#include <string>
#include <vector>

inline void use_utf8_arguments(int& argc, char**& argv) {
    static std::vector<std::string> args;
    static std::vector<char*> pointers;
    int count = 0;
    wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
    if (wide == nullptr) return;
    for (int i = 0; i < count; ++i) {
        const int n = WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, nullptr, 0, nullptr, nullptr);
        std::string utf8(n > 0 ? static_cast<std::size_t>(n - 1) : 0, '\0');
        if (n > 1) WideCharToMultiByte(CP_UTF8, 0, wide[i], -1, utf8.data(), n, nullptr, nullptr);
        args.push_back(std::move(utf8));
    }
    LocalFree(wide);
    for (std::string& a : args) pointers.push_back(a.data());
    pointers.push_back(nullptr);
    argc = count;
    argv = pointers.data();
}
