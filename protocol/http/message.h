// Our HTTP request/response, independent of the server library. Plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/core/strings.h"

namespace edastack::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const {
    size_t n = a.size() < b.size() ? a.size() : b.size();
    for (size_t i = 0; i < n; ++i) {
      unsigned char x = static_cast<unsigned char>(a[i]) | 0x20;
      unsigned char y = static_cast<unsigned char>(b[i]) | 0x20;
      if (x != y) return x < y;
    }
    return a.size() < b.size();
  }
};

// Header names compare case-insensitively; a name may repeat.
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

// Streams a request body in chunks: calls `sink` for each chunk until it returns false or
// the body ends; returns false on a read error.
using BodyReader = std::function<bool(const std::function<bool(const char*, size_t)>& sink)>;

struct Request {
  std::string method;            // "GET", "POST", ...
  std::string target;            // raw path as sent, without the query ("/a%20b")
  std::string raw_query;         // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> query;  // decoded query pairs, in order
  Headers headers;
  std::string body;              // whole body, unless body_reader is set
  BodyReader body_reader;        // set when the body was not read into `body` (S3 uploads)
  std::string remote_addr;

  // First value of a header, or "".
  const std::string& Header(const std::string& name) const {
    static const std::string kEmpty;
    auto it = headers.find(name);
    return it == headers.end() ? kEmpty : it->second;
  }
  bool HasHeader(const std::string& name) const { return headers.count(name) > 0; }
  // First value of a query parameter, or "".
  const std::string& Query(const std::string& name) const {
    static const std::string kEmpty;
    for (const auto& kv : query)
      if (kv.first == name) return kv.second;
    return kEmpty;
  }
  bool HasQuery(const std::string& name) const {
    for (const auto& kv : query)
      if (kv.first == name) return true;
    return false;
  }
};

// Streams a response body: write(offset-relative chunk) until done; returns false to abort.
using BodyWriter = std::function<bool(const std::function<bool(const char*, size_t)>& write)>;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is streamed from here instead of `body`; stream_length bytes.
  BodyWriter stream;
  uint64_t stream_length = 0;

  void SetHeader(const std::string& name, const std::string& value) {
    headers.erase(name);
    headers.emplace(name, value);
  }
  const std::string& Header(const std::string& name) const {
    static const std::string kEmpty;
    auto it = headers.find(name);
    return it == headers.end() ? kEmpty : it->second;
  }
};

}  // namespace edastack::http
