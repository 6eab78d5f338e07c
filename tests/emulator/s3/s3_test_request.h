// S3 unit-test helpers: a request as an HTTP client sends it to Emulator::Handle (path and
// query split, Host, the extra headers, and a Content-Length for the body unless the headers
// frame it), and the body and error code of the response.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "emulator/s3/s3_service.h"
#include "emulator/server/emulator.h"
#include "protocol/core/clock.h"
#include "protocol/core/strings.h"
#include "protocol/http/message.h"
#include "protocol/query/xml_reader.h"

namespace edastack::testing {

inline http::Request S3Request(const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  http::Request r;
  r.method = method;
  size_t q = target.find('?');
  r.target = target.substr(0, q);
  if (q != std::string::npos) {
    r.raw_query = target.substr(q + 1);
    r.query = str::ParseForm(r.raw_query, true);
  }
  r.headers.emplace("Host", "localhost:4566");
  bool framed = false;
  for (const auto& h : headers) {
    framed = framed || str::IEquals(h.first, "Content-Length") ||
             str::IEquals(h.first, "Transfer-Encoding");
    r.headers.emplace(h.first, h.second);
  }
  if (!framed && method != "GET" && method != "HEAD")
    r.headers.emplace("Content-Length", std::to_string(body.size()));
  r.body = body;
  return r;
}

// The whole body, streamed or not.
inline std::string S3Body(http::Response& r) {
  if (!r.stream) return r.body;
  std::string out;
  r.stream([&](const char* d, size_t n) {
    out.append(d, n);
    return true;
  });
  return out;
}

// The <Code> of an S3 XML error ("" when there is none).
inline std::string Code(const http::Response& r) {
  auto doc = xml::Parse(r.body);
  return doc ? doc->ChildText("Code") : "";
}

// An in-memory emulator with only S3, on a manual clock; `auth` turns on SigV4 with the
// key pair good:secret.
struct S3TestServer {
  ManualClock clock;
  std::unique_ptr<Emulator> emu;

  explicit S3TestServer(bool auth = false) {
    EmulatorOptions opts;
    opts.ephemeral = true;
    opts.auth_sigv4 = auth;
    opts.credentials = {{"good", "secret"}};
    emu = std::make_unique<Emulator>(opts, clock);
    emu->AddService(http::Service::kS3, std::make_unique<s3::S3Service>(*emu));
  }

  http::Response Call(const std::string& method, const std::string& target,
                      const std::string& body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request r = S3Request(method, target, body, headers);
    return emu->Handle(r);
  }
};

}  // namespace edastack::testing
