// Wire helpers shared by the S3 operation files: body ingestion (aws-chunked, checksums,
// Content-MD5, payload hash), small XML bodies, object headers. Pure or per-request; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "emulator/s3/body_files.h"
#include "emulator/s3/checksums.h"
#include "emulator/s3/s3_types.h"
#include "emulator/server/emulator.h"
#include "protocol/core/result.h"
#include "protocol/http/message.h"
#include "protocol/query/xml_reader.h"

namespace edastack::s3 {

extern const char* const kXmlns;  // http://s3.amazonaws.com/doc/2006-03-01/

// A body streamed to a pending file with its digests.
struct Ingested {
  std::unique_ptr<PendingFile> file;
  uint64_t size = 0;
  std::string md5_hex;
  Algo algo = Algo::kNone;
  std::string checksum_b64;  // of `algo`, verified when the client sent one
};

// Whether the request announced its body (Content-Length or Transfer-Encoding). PutObject and
// UploadPart without either get 411 MissingContentLength, as on AWS.
bool HasDeclaredLength(const http::Request& req);

// Streams the request body (aws-chunked decoded) into a new pending file, verifying
// Content-MD5, x-amz-content-sha256, x-amz-checksum-* (header or trailer), the decoded length
// and, under --auth sigv4, chunk signatures. `default_algo` is computed when the client asked
// for none (multipart uploads created with a checksum algorithm).
Result<Ingested> IngestBody(http::Request& req, BodyFiles& files, const EmulatorOptions& opts,
                            Algo default_algo = Algo::kNone);

// Reads a small request body (XML documents), decoding aws-chunked; at most `limit` bytes.
Result<std::string> ReadSmallBody(http::Request& req, size_t limit = 20 * 1024 * 1024);
// Parses an XML body; MalformedXML when it is not XML or its root is not `root`.
Result<xml::Node> ParseXmlBody(const std::string& body, const std::string& root);

// x-amz-meta-*, Content-Type & co., storage class, SSE from request headers.
ObjectAttrs AttrsFromHeaders(const http::Request& req);
// "k1=v1&k2=v2" (x-amz-tagging) → pairs; InvalidTag on bad input.
Result<Pairs> ParseTagHeader(const std::string& text);
Result<Pairs> ParseTagging(const xml::Node& tagging);
std::string TaggingXml(const Pairs& tags);

// ETag, Last-Modified, Content-Type, metadata, version id, SSE, ... for GET/HEAD.
void SetObjectHeaders(http::Response& res, const ObjectVersion& v, bool versioned);
std::string Quote(const std::string& etag);
std::string Unquote(std::string etag);
std::string OwnerId(const std::string& account);

http::Response XmlResponse(const std::string& body, int status = 200);
http::Response EmptyResponse(int status);
// Validates a version-id query value for a bucket; "" when absent.
std::string VersionIdParam(const http::Request& req);
std::string NewVersionId();

}  // namespace edastack::s3
