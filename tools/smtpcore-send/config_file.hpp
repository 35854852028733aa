// smtpcore-send: a configuration file in msmtp's syntax (msmtp(1),
// "CONFIGURATION FILES"): `defaults`, `account NAME [: PARENT...]`,
// `account default : NAME`, then one "key value" a line, '#' comments.
#pragma once

#include <map>
#include <string>

namespace smtpcore::cli {

/// The settings of one account, defaults and inherited accounts applied.
using AccountSettings = std::map<std::string, std::string>;

/// The file to read: `explicit_path` (--config), else $SMTPCORE_CONFIG, else
/// ~/.config/smtpcore/config, else ~/.msmtprc; "" if none exists.
std::string find_config(const std::string& explicit_path);

/// Reads `path` and returns account `name` ("" : the default account, else
/// the first one, else only the defaults). Throws ConfigError for a syntax
/// error, an unknown key or account, or a file holding a password
/// (`password`) that group or others may read.
AccountSettings load_account(const std::string& path, const std::string& name);

}  // namespace smtpcore::cli
