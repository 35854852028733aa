// Windows speaks UTF-16 in its wide-character APIs; smtpcore speaks UTF-8.
// These convert at the boundary (file names, host names, system messages).
#pragma once

#include <string>

namespace smtpcore::adapters::detail {

/// UTF-8 to UTF-16. Invalid UTF-8 gives an empty string (and `ok` false).
std::wstring widen(const std::string& utf8, bool* ok = nullptr);
/// UTF-16 to UTF-8 (`size` code units, or up to the NUL when negative).
std::string narrow(const wchar_t* text, int size = -1);
/// FormatMessageW's text for a Windows or Winsock error code, in UTF-8,
/// without the trailing period and line end, with the number appended.
std::string windows_error_text(unsigned long code);

}  // namespace smtpcore::adapters::detail
