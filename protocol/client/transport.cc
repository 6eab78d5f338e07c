#include "protocol/client/transport.h"

#include <httplib.h>

#include <mutex>
#include <vector>

namespace edastack::client {

std::string Endpoint::HostHeader() const {
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  return default_port ? host : host + ":" + std::to_string(port);
}

std::string Endpoint::Origin() const { return scheme + "://" + HostHeader(); }

Result<Endpoint> ParseEndpoint(const std::string& url) {
  Endpoint e;
  std::string rest = url;
  size_t p = rest.find("://");
  if (p != std::string::npos) {
    e.scheme = str::ToLower(rest.substr(0, p));
    rest = rest.substr(p + 3);
  }
  if (e.scheme != "http" && e.scheme != "https")
    return MakeError("InvalidEndpoint", "unsupported scheme in endpoint " + url);
  size_t slash = rest.find('/');
  if (slash != std::string::npos) rest = rest.substr(0, slash);
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    e.host = rest.substr(0, colon);
    try {
      e.port = std::stoi(rest.substr(colon + 1));
    } catch (...) {
      return MakeError("InvalidEndpoint", "bad port in endpoint " + url);
    }
  } else {
    e.host = rest;
    e.port = e.scheme == "https" ? 443 : 80;
  }
  if (e.host.empty()) return MakeError("InvalidEndpoint", "no host in endpoint " + url);
  return e;
}

namespace {

class HttpTransport : public Transport {
 public:
  HttpTransport(Endpoint ep, int timeout_ms, std::string ca_bundle)
      : ep_(std::move(ep)), timeout_ms_(timeout_ms), ca_bundle_(std::move(ca_bundle)) {}

  Result<http::Response> Send(const http::Request& req) override {
    std::unique_ptr<httplib::Client> cli = Acquire();
    httplib::Headers headers;
    for (const auto& kv : req.headers) {
      if (str::IEquals(kv.first, "Host") || str::IEquals(kv.first, "Content-Length") ||
          str::IEquals(kv.first, "Content-Type"))
        continue;
      headers.emplace(kv.first, kv.second);
    }
    std::string path = req.target.empty() ? "/" : req.target;
    if (!req.raw_query.empty()) path += "?" + req.raw_query;
    std::string content_type = req.Header("Content-Type");
    httplib::Result res{nullptr, httplib::Error::Unknown};
    if (req.method == "GET") res = cli->Get(path.c_str(), headers);
    else if (req.method == "HEAD") res = cli->Head(path.c_str(), headers);
    else if (req.method == "DELETE") res = cli->Delete(path.c_str(), headers, req.body, content_type.c_str());
    else if (req.method == "PUT") res = cli->Put(path.c_str(), headers, req.body, content_type.c_str());
    else res = cli->Post(path.c_str(), headers, req.body, content_type.c_str());
    if (!res) {
      std::string why = httplib::to_string(res.error());
      if (res.error() == httplib::Error::SSLServerVerification)
        why += " (certificate not trusted; set AWS_CA_BUNDLE to a PEM of its CA)";
      return MakeError("ConnectionError", "cannot reach " + ep_.Origin() + ": " + why, 503,
                       false);
    }
    http::Response out;
    out.status = res->status;
    for (const auto& kv : res->headers) out.headers.emplace(kv.first, kv.second);
    out.body = std::move(res->body);
    Release(std::move(cli));
    return out;
  }

  std::string Origin() const override { return ep_.Origin(); }

 private:
  std::unique_ptr<httplib::Client> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    auto c = std::make_unique<httplib::Client>(ep_.Origin());
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_connection_timeout(0, 5000 * 1000);
    c->set_read_timeout(timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000);
    c->set_write_timeout(timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000);
    if (ep_.scheme == "https") {
      c->enable_server_certificate_verification(true);
      if (!ca_bundle_.empty()) c->set_ca_cert_path(ca_bundle_.c_str());
    }
    return c;
  }
  void Release(std::unique_ptr<httplib::Client> c) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < 64) idle_.push_back(std::move(c));
  }

  const Endpoint ep_;
  const int timeout_ms_;
  const std::string ca_bundle_;
  // Guarded by mu_:
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::Client>> idle_;
};

class InProcessTransport : public Transport {
 public:
  InProcessTransport(InProcessHandler h, std::string origin)
      : handler_(std::move(h)), origin_(std::move(origin)) {}
  Result<http::Response> Send(const http::Request& sent) override {
    // What an HTTP server adapter would have parsed: decoded query pairs, Content-Length.
    const http::Request* req = &sent;
    http::Request parsed;
    if ((sent.query.empty() && !sent.raw_query.empty()) ||
        (!sent.body_reader && !sent.HasHeader("Content-Length"))) {
      parsed = sent;
      if (parsed.query.empty()) parsed.query = str::ParseForm(parsed.raw_query, true);
      if (!parsed.body_reader && !parsed.HasHeader("Content-Length"))
        parsed.headers.emplace("Content-Length", std::to_string(parsed.body.size()));
      req = &parsed;
    }
    http::Response res = handler_(*req);
    if (res.stream) {  // flatten streamed bodies for in-process callers
      std::string body;
      res.stream([&](const char* d, size_t n) {
        body.append(d, n);
        return true;
      });
      res.body = std::move(body);
      res.stream = nullptr;
    }
    return res;
  }
  std::string Origin() const override { return origin_; }

 private:
  InProcessHandler handler_;
  std::string origin_;
};

}  // namespace

std::unique_ptr<Transport> MakeHttpTransport(const Endpoint& endpoint, int timeout_ms,
                                             const std::string& ca_bundle) {
  return std::make_unique<HttpTransport>(endpoint, timeout_ms, ca_bundle);
}

std::unique_ptr<Transport> MakeInProcessTransport(InProcessHandler handler, std::string origin) {
  return std::make_unique<InProcessTransport>(std::move(handler), std::move(origin));
}

}  // namespace edastack::client
