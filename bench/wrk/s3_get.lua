-- wrk script: GetObject of /<bucket>/<key> (path-style, unsigned).
-- Usage: wrk -s bench/wrk/s3_get.lua <endpoint> -- <bucket> <key>
local path = "/bench/get-1k"

function init(args)
  if args[1] and args[2] then path = "/" .. args[1] .. "/" .. args[2] end
end

function request()
  return wrk.format("GET", path)
end
