-- wrk script: PutObject of a 1 KiB body to /<bucket>/k<thread>-<n % 256> (path-style; a fixed Authorization header that neither server verifies by default, since moto
-- answers anonymous requests to private objects with 403).
-- Usage: wrk -s bench/wrk/s3_put.lua <endpoint> -- <bucket>
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local counter = 0
local bucket = "bench"
local body = string.rep("x", 1024)

local AUTH = "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/s3/aws4_request, " ..
  "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"

function init(args)
  if args[1] then bucket = args[1] end
end

function request()
  counter = counter + 1
  local path = "/" .. bucket .. "/k" .. tostring(id) .. "-" .. (counter % 256)
  return wrk.format("PUT", path, {["Content-Type"] = "application/octet-stream", ["Authorization"] = AUTH}, body)
end
