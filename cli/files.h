// Local files the CLI reads and writes: whole-file reads (CSRs, certificates, attachments,
// application JSON), and private writes (credentials, downloaded bundles) that are never
// readable by other users, not even for a moment.
//
// Thread-safety: free functions without shared state; safe from any thread.
#pragma once

#include <optional>
#include <string>

namespace signet::cli {

// The file's bytes, or std::nullopt with the reason in *error. "-" reads standard input.
std::optional<std::string> ReadWholeFile(const std::string& path, std::string* error);

// A secret from a file ("-": standard input), never from the command line, where every local
// user could read it in the process list. Passwords and robot secrets are the first line, so
// that the file may end with a newline; a key is the whole file. An empty secret is refused:
// signetd reads "" as "none" or "keep the stored one". A file others may read gets a warning
// on stderr (like ssh, which refuses such keys; here the secret is sent anyway).
std::optional<std::string> ReadSecretFile(const std::string& path, bool first_line,
                                          std::string* error);

// Writes bytes to path with mode 0600 through a temporary file in the same directory and a
// rename, so a reader never sees a half-written file and an existing file is replaced whole.
bool WritePrivateFile(const std::string& path, const std::string& bytes, std::string* error);

// Creates the directory and missing parents with mode 0700; existing ones are left as they are.
bool MakePrivateDirectories(const std::string& path, std::string* error);

}  // namespace signet::cli
