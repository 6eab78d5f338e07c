// Decides which service a request is for, from cheap signals first (PROTOCOLS.md §1.1).
#pragma once

#include <string>

#include "protocol/http/message.h"

namespace edastack::http {

enum class Service { kUnknown, kS3, kSns, kSqs, kDynamoDb, kDynamoDbStreams, kEvents, kSts, kAdmin };
enum class Protocol { kUnknown, kQuery, kJson10, kJson11, kRestXml, kAdmin };

struct Route {
  Service service = Service::kUnknown;
  Protocol protocol = Protocol::kUnknown;
  std::string operation;   // from X-Amz-Target or Action=, when known
};

const char* ServiceName(Service s);

// Routes on headers, query string and path only. Returns kUnknown with protocol kQuery when
// the decision needs the form body (RouteWithBody then finishes it).
Route RouteHeaders(const Request& req);
// Finishes routing for unsigned form POSTs, looking at Action= and Version= in the body.
Route RouteWithBody(const Request& req);

// The credential scope of a SigV4-signed request, if any.
struct CredentialScope {
  std::string access_key, date, region, service;
};
bool ParseCredentialScope(const Request& req, CredentialScope* out);

}  // namespace edastack::http
