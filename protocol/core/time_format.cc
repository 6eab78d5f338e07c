#include "protocol/core/time_format.h"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace edastack::timefmt {
namespace {

std::tm ToTm(int64_t epoch_ms) {
  time_t secs = static_cast<time_t>(epoch_ms / 1000);
  if (epoch_ms < 0 && epoch_ms % 1000) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

int Millis(int64_t epoch_ms) {
  int m = static_cast<int>(epoch_ms % 1000);
  return m < 0 ? m + 1000 : m;
}

}  // namespace

std::string Iso8601Millis(int64_t ms) {
  std::tm t = ToTm(ms);
  char buf[40];
  snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1,
           t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, Millis(ms));
  return buf;
}

std::string Iso8601Seconds(int64_t ms) {
  std::tm t = ToTm(ms);
  char buf[40];
  snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.tm_year + 1900, t.tm_mon + 1,
           t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
  return buf;
}

std::string Rfc7231(int64_t ms) {
  std::tm t = ToTm(ms);
  char buf[64];
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &t);
  return buf;
}

std::string AmzDate(int64_t ms) {
  std::tm t = ToTm(ms);
  char buf[32];
  strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &t);
  return buf;
}

std::string AmzDay(int64_t ms) { return AmzDate(ms).substr(0, 8); }

std::optional<int64_t> ParseAmzDate(const std::string& s) {
  std::tm t{};
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  if (sscanf(s.c_str(), "%4d%2d%2dT%2d%2d%2dZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour,
             &t.tm_min, &t.tm_sec) != 6)
    return std::nullopt;
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&t)) * 1000;
}

std::optional<int64_t> ParseIso8601(const std::string& s) {
  std::tm t{};
  int consumed = 0;
  if (sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &t.tm_year, &t.tm_mon, &t.tm_mday,
             &t.tm_hour, &t.tm_min, &t.tm_sec, &consumed) != 6)
    return std::nullopt;
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  int64_t ms = static_cast<int64_t>(timegm(&t)) * 1000;
  const char* p = s.c_str() + consumed;
  if (*p == '.') {
    ++p;
    int digits = 0, frac = 0;
    while (*p >= '0' && *p <= '9') {
      if (digits < 3) frac = frac * 10 + (*p - '0');
      ++digits;
      ++p;
    }
    while (digits > 0 && digits < 3) {
      frac *= 10;
      ++digits;
    }
    ms += frac;
  }
  if (*p == 'Z' || *p == '\0') return ms;
  if (*p == '+' || *p == '-') {
    int hh = 0, mm = 0;
    if (sscanf(p + 1, "%2d:%2d", &hh, &mm) < 1) return std::nullopt;
    int64_t off = (hh * 60 + mm) * 60000LL;
    return *p == '+' ? ms - off : ms + off;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseRfc7231(const std::string& s) {
  std::tm t{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &t);
  if (!end) return std::nullopt;
  return static_cast<int64_t>(timegm(&t)) * 1000;
}

}  // namespace edastack::timefmt
