// smtpcore-send: where the password and the trusted CAs come from, checked
// before connecting (exit 66 for what cannot be read, docs/cli.md).
#pragma once

#include <string>

namespace smtpcore::cli {

/// The password: the first line of `file`, else the first line `command`
/// prints (run by /bin/sh, like msmtp's passwordeval), else
/// $SMTPCORE_PASSWORD. UsageError if there is none; InputMissing if the file
/// is unreadable or a directory, or the command fails.
std::string read_password(const std::string& file, const std::string& command);

/// The OAuth access token: the first line of `file`, else of what `command`
/// prints. InputMissing if unreadable, the command fails, or it is empty.
std::string read_oauth_token(const std::string& file, const std::string& command);

/// InputMissing unless `path` is a readable file holding a PEM certificate.
void require_pem_file(const std::string& path);

}  // namespace smtpcore::cli
