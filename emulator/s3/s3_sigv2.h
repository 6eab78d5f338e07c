// SigV2 query-string authentication for S3 presigned URLs
// (`?AWSAccessKeyId=..&Signature=..&Expires=<epoch>`, PROTOCOLS.md §1.4). Pure, thread-safe.
#pragma once

#include <map>
#include <string>

#include "protocol/core/result.h"
#include "protocol/http/message.h"

namespace edastack::s3 {

// The SigV2 string to sign for a presigned request. `resource_path` is the path as sent,
// prefixed with "/<bucket>" for virtual-hosted requests.
std::string SigV2StringToSign(const http::Request& req, const std::string& resource_path);

// Verifies signature and expiry against `credentials` (key → secret): AccessDenied
// ("Request has expired"), InvalidAccessKeyId or SignatureDoesNotMatch.
Status VerifySigV2(const http::Request& req, const std::string& resource_path,
                   const std::map<std::string, std::string>& credentials, int64_t now_ms);

}  // namespace edastack::s3
