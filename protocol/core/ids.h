// Identifiers: request ids, message ids. Thread-safe.
#pragma once

#include <string>

namespace edastack::ids {

// RFC 4122 version-4 UUID, lowercase.
std::string Uuid();
// n random bytes as lowercase hex.
std::string RandomHex(size_t bytes);

}  // namespace edastack::ids
