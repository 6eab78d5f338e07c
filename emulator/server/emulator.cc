#include "emulator/server/emulator.h"

#include <nlohmann/json.hpp>

#include "protocol/core/ids.h"
#include "protocol/core/log.h"
#include "protocol/errors/render.h"
#include "protocol/sigv4/verifier.h"

namespace edastack {
namespace {

const char* QueryXmlns(http::Service s) {
  switch (s) {
    case http::Service::kSqs: return "http://queue.amazonaws.com/doc/2012-11-05/";
    case http::Service::kSts: return "https://sts.amazonaws.com/doc/2011-06-15/";
    default: return "http://sns.amazonaws.com/doc/2010-03-31/";
  }
}

// Maps a SigV4 verification failure to the error of the request's protocol.
AwsError AuthError(const http::Route& route, const sigv4::VerifyResult& v) {
  using O = sigv4::VerifyOutcome;
  bool s3 = route.protocol == http::Protocol::kRestXml;
  bool json = route.protocol == http::Protocol::kJson10 || route.protocol == http::Protocol::kJson11;
  switch (v.outcome) {
    case O::kMissing:
      if (s3) return MakeError("AccessDenied", "Access Denied", 403);
      if (json) return MakeError("MissingAuthenticationTokenException", "Missing Authentication Token", 400);
      return MakeError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    case O::kIncomplete:
      if (s3) return MakeError("AuthorizationHeaderMalformed", v.message, 400);
      if (json) return MakeError("IncompleteSignatureException", v.message, 400);
      return MakeError("IncompleteSignature", v.message, 400);
    case O::kUnknownAccessKey:
      if (s3) return MakeError("InvalidAccessKeyId",
                               "The AWS Access Key Id you provided does not exist in our records.", 403);
      if (json) return MakeError("UnrecognizedClientException", v.message, 400);
      return MakeError("InvalidClientTokenId", v.message, 403);
    case O::kExpired:
      if (s3) return MakeError("AccessDenied", "Request has expired", 403);
      if (json) return MakeError("InvalidSignatureException", "Signature expired", 400);
      return MakeError("ExpiredToken", "Signature expired", 400);
    default:
      if (json) return MakeError("InvalidSignatureException", v.message, 400);
      return MakeError("SignatureDoesNotMatch", v.message, 403);
  }
}

bool DrainBody(http::Request& req) {
  if (!req.body_reader) return true;
  std::string body;
  bool ok = req.body_reader([&](const char* d, size_t n) {
    body.append(d, n);
    return true;
  });
  req.body_reader = nullptr;
  req.body = std::move(body);
  return ok;
}

}  // namespace

const std::vector<OwnDatabase> Emulator::kOwnDatabases = {{"sqs", "sqs_", "sqs.db"},
                                                          {"dynamodb", "ddb_", "dynamodb.db"}};

Emulator::Emulator(EmulatorOptions options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  std::string path = options_.ephemeral ? ":memory:" : options_.data_dir + "/edastack.db";
  db_ = std::make_unique<storage::Database>(path);
  for (const auto& own : kOwnDatabases) {
    std::string own_path = options_.ephemeral ? ":memory:" : options_.data_dir + "/" + own.file;
    if (!options_.ephemeral) {
      int moved = storage::MoveComponent(*db_, own_path, own.component, own.table_prefix);
      if (moved > 0)
        log::Info("moved " + std::to_string(moved) + " " + own.component + " tables from " +
                  path + " to " + own_path);
    }
    own_dbs_[own.component] = std::make_unique<storage::Database>(own_path);
  }
  outbox_ = std::make_unique<storage::Outbox>(*db_);
}

Emulator::~Emulator() { Shutdown(); }

void Emulator::Shutdown() {
  // Work still queued in memory when the services stop stays pending in the outbox.
  if (outbox_) outbox_->Close();
  for (auto& kv : services_) kv.second->Shutdown();
}

void Emulator::Start() {
  for (auto& kv : services_) kv.second->Start();
}

void Emulator::AddService(http::Service id, std::unique_ptr<ServiceHandler> handler) {
  services_[id] = std::move(handler);
}

ServiceHandler* Emulator::service(http::Service id) {
  auto it = services_.find(id);
  return it == services_.end() ? nullptr : it->second.get();
}

std::vector<std::string> Emulator::ServiceNames() const {
  std::vector<std::string> out;
  for (const auto& kv : services_) out.push_back(http::ServiceName(kv.first));
  return out;
}

void Emulator::Reset() {
  {
    auto lock = db_->Lock();
    std::vector<std::unique_lock<std::mutex>> own_locks;  // lock order: db_, then by name
    for (auto& kv : own_dbs_) own_locks.push_back(kv.second->Lock());
    db_->ClearAll();
    for (auto& kv : own_dbs_) kv.second->ClearAll();
    for (auto& kv : services_) kv.second->OnResetLocked();
  }
  outbox_->OnReset();
  for (auto& kv : services_) kv.second->OnReset();
}

http::Response Emulator::RenderError(const http::Route& route, const AwsError& e,
                                     const RequestContext& ctx, const http::Request& req) {
  switch (route.protocol) {
    case http::Protocol::kJson10:
      if (route.service == http::Service::kSqs)
        return errors::RenderJson(e, "com.amazonaws.sqs#", "application/x-amz-json-1.0",
                                  ctx.request_id, true);
      return errors::RenderJson(e, "com.amazonaws.dynamodb.v20120810#",
                                "application/x-amz-json-1.0", ctx.request_id, false);
    case http::Protocol::kJson11:
      return errors::RenderJson(e, "", "application/x-amz-json-1.1", ctx.request_id, false);
    case http::Protocol::kRestXml:
      return errors::RenderS3(e, ctx.request_id, req.method == "HEAD");
    default:
      return errors::RenderQuery(e, QueryXmlns(route.service), ctx.request_id);
  }
}

http::Response Emulator::Handle(http::Request& req) {
  RequestContext ctx;
  ctx.account = options_.account;
  ctx.region = options_.region;
  ctx.request_id = ids::Uuid();
  ctx.host = req.Header("Host");
  if (ctx.host.empty()) ctx.host = "localhost:4566";
  ctx.now_ms = clock_.NowMillis();

  http::Route route = http::RouteHeaders(req);
  try {
    if (route.service != http::Service::kS3 && !DrainBody(req))
      return RenderError(route, MakeError("IncompleteBody", "could not read the request body"), ctx, req);
    if (route.service == http::Service::kUnknown && route.protocol == http::Protocol::kQuery)
      route = http::RouteWithBody(req);
    if (route.service == http::Service::kAdmin) return HandleAdmin(ctx, req);

    http::CredentialScope scope;
    if (http::ParseCredentialScope(req, &scope)) {
      if (!scope.region.empty()) ctx.region = scope.region;
      ctx.access_key = scope.access_key;
    }
    if (options_.auth_sigv4) {
      // SigV2 presigned URLs and browser POST uploads (signed policy in the form) are
      // verified by the S3 service itself.
      bool sigv2 = route.service == http::Service::kS3 &&
                   (req.HasQuery("AWSAccessKeyId") ||
                    (req.method == "POST" &&
                     str::StartsWith(str::ToLower(req.Header("Content-Type")), "multipart/form-data") &&
                     !str::StartsWith(req.Header("Authorization"), "AWS4-HMAC-SHA256")));
      if (!sigv2) {
        // A streamed body without x-amz-content-sha256 must be hashed, so read it.
        if (req.body_reader && req.Header("x-amz-content-sha256").empty() &&
            !req.HasQuery("X-Amz-Signature"))
          DrainBody(req);
        auto v = sigv4::Verify(
            req,
            [this](const std::string& key) -> std::optional<std::string> {
              auto it = options_.credentials.find(key);
              if (it == options_.credentials.end()) return std::nullopt;
              return it->second;
            },
            ctx.now_ms);
        if (v.outcome != sigv4::VerifyOutcome::kOk) {
          log::Debug("sigv4 " + std::string(http::ServiceName(route.service)) +
                     " rejected; canonical request:\n" + v.canonical_request +
                     "\nstring to sign:\n" + v.string_to_sign);
          return RenderError(route, AuthError(route, v), ctx, req);
        }
      }
    }

    ServiceHandler* svc = service(route.service);
    if (!svc) {
      AwsError e = route.protocol == http::Protocol::kQuery
                       ? MakeError("InvalidAction", "The action " + route.operation +
                                                        " is not valid for this endpoint.")
                       : MakeError("UnknownOperationException",
                                   std::string("service ") + http::ServiceName(route.service) +
                                       " is not available in this build");
      return RenderError(route, e, ctx, req);
    }
    http::Response res = svc->Handle(ctx, route, req);
    if (!res.headers.count("x-amzn-RequestId") && route.service != http::Service::kS3)
      res.SetHeader("x-amzn-RequestId", ctx.request_id);
    return res;
  } catch (const std::exception& ex) {
    log::Error(std::string("internal failure in ") + http::ServiceName(route.service) + ": " +
               ex.what());
    return RenderError(route, MakeError("InternalFailure", "We encountered an internal error. Please try again.", 500, false), ctx, req);
  }
}

http::Response Emulator::HandleAdmin(const RequestContext& ctx, http::Request& req) {
  // /_edastack/<service>/... belongs to that service (e.g. SNS's signing certificate).
  for (auto& kv : services_) {
    std::string prefix = std::string("/_edastack/") + http::ServiceName(kv.first) + "/";
    if (req.target.compare(0, prefix.size(), prefix) == 0)
      return kv.second->Handle(ctx, http::Route{kv.first, http::Protocol::kAdmin, ""}, req);
  }
  http::Response res;
  res.SetHeader("Content-Type", "application/json");
  nlohmann::json services = nlohmann::json::object();
  for (const auto& name : ServiceNames()) services[name] = "running";
  if (req.target == "/_edastack/health" || req.target == "/health") {
    res.body = nlohmann::json{{"status", "ok"},
                              {"version", EDASTACK_VERSION},
                              {"services", services},
                              {"ephemeral", options_.ephemeral}}
                   .dump();
  } else if (req.target == "/_localstack/health") {
    services["sts"] = "running";
    res.body = nlohmann::json{{"services", services}, {"edition", "community"},
                              {"version", std::string("edastack-") + EDASTACK_VERSION}}
                   .dump();
  } else if (req.target == "/_edastack/reset" && req.method == "POST") {
    Reset();
    res.body = R"({"reset":true})";
  } else {
    res.status = 404;
    res.body = R"({"error":"not found"})";
  }
  return res;
}

}  // namespace edastack
