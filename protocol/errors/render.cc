#include "protocol/errors/render.h"

#include <nlohmann/json.hpp>

#include "protocol/query/xml_writer.h"

namespace edastack::errors {

http::Response RenderQuery(const AwsError& e, const std::string& xmlns,
                           const std::string& request_id) {
  xml::Writer w;
  w.Open("ErrorResponse", "xmlns=\"" + xmlns + "\"")
      .Open("Error")
      .Element("Type", e.sender_fault ? "Sender" : "Receiver")
      .Element("Code", e.QueryCode())
      .Element("Message", e.message)
      .Empty("Detail")
      .Close()
      .Element("RequestId", request_id);
  http::Response r;
  r.status = e.http_status;
  r.body = w.Finish();
  r.SetHeader("Content-Type", "text/xml");
  r.SetHeader("x-amzn-RequestId", request_id);
  return r;
}

http::Response RenderJson(const AwsError& e, const std::string& type_prefix,
                          const std::string& content_type, const std::string& request_id,
                          bool query_compatible) {
  nlohmann::json body = {{"__type", type_prefix + e.code}, {"message", e.message}};
  for (const auto& kv : e.extra) body[kv.first] = nlohmann::json::parse(kv.second, nullptr, false);
  http::Response r;
  r.status = e.http_status;
  r.body = body.dump();
  r.SetHeader("Content-Type", content_type);
  r.SetHeader("x-amzn-RequestId", request_id);
  if (query_compatible)
    r.SetHeader("x-amzn-query-error",
                e.QueryCode() + (e.sender_fault ? ";Sender" : ";Receiver"));
  return r;
}

http::Response RenderS3(const AwsError& e, const std::string& request_id, bool head) {
  http::Response r;
  r.status = e.http_status;
  r.SetHeader("x-amz-request-id", request_id);
  r.SetHeader("x-amz-id-2", request_id);
  if (head) return r;
  xml::Writer w(true);
  w.Open("Error").Element("Code", e.code).Element("Message", e.message);
  for (const auto& kv : e.extra) w.Element(kv.first, kv.second);
  w.Element("RequestId", request_id).Element("HostId", request_id);
  r.body = w.Finish();
  r.SetHeader("Content-Type", "application/xml");
  return r;
}

}  // namespace edastack::errors
