#include "protocol/core/ids.h"

#include <random>

#include "protocol/core/crypto.h"

namespace edastack::ids {
namespace {

// A per-thread fast generator seeded from OpenSSL; ids need uniqueness, not secrecy.
std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng([] {
    std::string seed = crypto::RandomBytes(8);
    uint64_t s = 0;
    for (unsigned char c : seed) s = (s << 8) | c;
    return s;
  }());
  return rng;
}

}  // namespace

std::string Uuid() {
  uint64_t a = Rng()(), b = Rng()();
  a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 15; i >= 0; --i) {
    out.push_back(kDigits[(a >> (i * 4)) & 15]);
    if (i == 8 || i == 4) out.push_back('-');
  }
  out.push_back('-');
  for (int i = 15; i >= 0; --i) {
    out.push_back(kDigits[(b >> (i * 4)) & 15]);
    if (i == 12) out.push_back('-');
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) raw[i] = static_cast<char>(Rng()() & 0xFF);
  return crypto::Hex(raw);
}

}  // namespace edastack::ids
