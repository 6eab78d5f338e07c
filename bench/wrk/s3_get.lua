-- wrk script: GetObject of /<bucket>/<key> (path-style; a fixed Authorization header that neither server verifies by default, since moto
-- answers anonymous requests to private objects with 403).
-- Usage: wrk -s bench/wrk/s3_get.lua <endpoint> -- <bucket> <key>
local path = "/bench/get-1k"

local AUTH = "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/s3/aws4_request, " ..
  "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"

function init(args)
  if args[1] and args[2] then path = "/" .. args[1] .. "/" .. args[2] end
end

function request()
  return wrk.format("GET", path, {["Authorization"] = AUTH})
end
