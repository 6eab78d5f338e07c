// Timestamp formats used on the wire. Pure functions, UTC only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace edastack::timefmt {

std::string Iso8601Millis(int64_t epoch_ms);   // 2026-11-28T16:48:07.123Z
std::string Iso8601Seconds(int64_t epoch_ms);  // 2026-11-28T16:48:07Z
std::string Rfc7231(int64_t epoch_ms);         // Sat, 28 Nov 2026 16:48:07 GMT
std::string AmzDate(int64_t epoch_ms);         // 20261128T164807Z
std::string AmzDay(int64_t epoch_ms);          // 20261128

// Parses 20261128T164807Z.
std::optional<int64_t> ParseAmzDate(const std::string& s);
// Parses ISO 8601 (with or without fraction, Z or +hh:mm) and RFC 7231; epoch ms.
std::optional<int64_t> ParseIso8601(const std::string& s);
std::optional<int64_t> ParseRfc7231(const std::string& s);

}  // namespace edastack::timefmt
