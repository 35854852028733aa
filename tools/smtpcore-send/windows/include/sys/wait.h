// <sys/wait.h> for mingw-w64 (see ../../posix_compat.hpp): pclose() on
// Windows returns the command's exit code itself.
#pragma once
#define WIFEXITED(status) 1
#define WEXITSTATUS(status) (status)
