// One error renderer per protocol (STYLE.md convention 4). Pure functions.
#pragma once

#include <string>

#include "protocol/core/result.h"
#include "protocol/http/message.h"

namespace edastack::errors {

// <ErrorResponse xmlns=..><Error><Type/><Code/><Message/><Detail/></Error><RequestId/></ErrorResponse>
// Uses the error's QueryCode().
http::Response RenderQuery(const AwsError& e, const std::string& xmlns,
                           const std::string& request_id);

// JSON 1.0/1.1: {"__type": type_prefix + code, "message": ...}. With query_compatible (SQS)
// adds `x-amzn-query-error: <query code>;Sender|Receiver`.
http::Response RenderJson(const AwsError& e, const std::string& type_prefix,
                          const std::string& content_type, const std::string& request_id,
                          bool query_compatible);

// S3: <Error><Code/><Message/>[extra]<RequestId/><HostId/></Error>. HEAD gets no body.
http::Response RenderS3(const AwsError& e, const std::string& request_id, bool head);

}  // namespace edastack::errors
