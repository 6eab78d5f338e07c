// How the AWS client moves a request: over HTTP(S) or handed to an in-process dispatcher.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "protocol/core/result.h"
#include "protocol/http/message.h"

namespace edastack::client {

// Thread-safe implementations required: one transport serves many pollers.
class Transport {
 public:
  virtual ~Transport() = default;
  // A connection-level failure is an error with code "ConnectionError" (retryable);
  // any HTTP answer, including 4xx/5xx, is a value.
  virtual Result<http::Response> Send(const http::Request& req) = 0;
  // "http://127.0.0.1:4566" — what a queue URL or Host header should look like.
  virtual std::string Origin() const = 0;
};

// Parsed endpoint URL.
struct Endpoint {
  std::string scheme = "http";
  std::string host = "127.0.0.1";
  int port = 4566;
  std::string HostHeader() const;
  std::string Origin() const;
};
Result<Endpoint> ParseEndpoint(const std::string& url);

// HTTP(S) over cpp-httplib + OpenSSL, keep-alive connections pooled. For https the server
// certificate is verified (host name included) against `ca_bundle` (a PEM file) if given,
// else the system's trust store; a failed handshake is a NetworkingError naming the cause.
std::unique_ptr<Transport> MakeHttpTransport(const Endpoint& endpoint, int timeout_ms = 65000,
                                             const std::string& ca_bundle = "");

// Hands requests to `handler` (the emulator's dispatcher) without a socket.
using InProcessHandler = std::function<http::Response(const http::Request&)>;
std::unique_ptr<Transport> MakeInProcessTransport(InProcessHandler handler,
                                                  std::string origin = "http://localhost:4566");

}  // namespace edastack::client
