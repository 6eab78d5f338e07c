// Per-request context handed to every service operation.
#pragma once

#include <cstdint>
#include <string>

namespace edastack {

struct RequestContext {
  std::string account;      // the one configured account id
  std::string region;       // from the SigV4 scope, else the configured default
  std::string access_key;   // from the SigV4 scope, may be empty
  std::string request_id;   // fresh per request
  std::string host;         // Host header as received (for queue URLs and links)
  std::string scheme = "http";
  int64_t now_ms = 0;       // from the injected clock, read once per request

  std::string Origin() const { return scheme + "://" + host; }
};

}  // namespace edastack
