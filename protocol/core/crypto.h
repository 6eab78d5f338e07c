// Digests, HMACs and encodings over OpenSSL. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edastack::crypto {

std::string Md5(std::string_view data);      // raw 16 bytes
std::string Sha1(std::string_view data);     // raw 20 bytes
std::string Sha256(std::string_view data);   // raw 32 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // raw
std::string HmacSha1(std::string_view key, std::string_view data);    // raw

std::string Hex(std::string_view raw);        // lowercase
std::string Md5Hex(std::string_view data);
std::string Sha256Hex(std::string_view data);

std::string Base64Encode(std::string_view raw);
// nullopt when the input is not valid base64.
std::optional<std::string> Base64Decode(std::string_view text);

uint32_t Crc32(std::string_view data, uint32_t seed = 0);   // IEEE (zlib)
uint32_t Crc32c(std::string_view data, uint32_t seed = 0);  // Castagnoli
uint64_t Crc64Nvme(std::string_view data, uint64_t seed = 0);

// Cryptographically random bytes.
std::string RandomBytes(size_t n);

}  // namespace edastack::crypto
