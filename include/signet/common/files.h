// Writing files that must never be seen half written or with looser permissions than meant
// (keys, credentials, bundles holding a private key).
//
// Thread-safety: pure functions; concurrent writers of one path must coordinate themselves.
#pragma once

#include <sys/types.h>

#include <string>

#include "signet/common/status.h"

namespace signet {

// Writes `content` to `path` through a temporary file beside it that is created with `mode`
// from the start (never readable by others, even for a moment), flushed to disk, then renamed
// over `path`. A missing folder is named in the error ("folder_missing").
Status WriteFileAtomically(const std::string& path, const std::string& content, mode_t mode);

}  // namespace signet
