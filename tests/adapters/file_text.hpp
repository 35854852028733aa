// What a test wrote to a temporary file, read back and the file closed.
#pragma once

#include <cstdio>
#include <string>

inline std::string text_and_close(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string out;
    for (int c; (c = std::fgetc(f)) != EOF;) out += static_cast<char>(c);
    std::fclose(f);
    return out;
}
