-- wrk script of bench/load.py: one endpoint, logged in, behind the TLS proxy the README describes.
-- LOAD_HEADERS: "Name: value" lines (cookie, token); LOAD_PATHS: paths separated by spaces, taken
-- round-robin (each thread starting elsewhere), so detail pages read many rows, not one.
local paths = {}
for p in string.gmatch(os.getenv("LOAD_PATHS") or "/", "%S+") do
  paths[#paths + 1] = p
end
local extra = {}
for line in string.gmatch(os.getenv("LOAD_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then extra[name] = value end
end
extra["X-Forwarded-Proto"] = "https"

local counter = 0
local bad = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7919
  bad = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], extra)
end

function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local non2xx = 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + (thread:get("bad") or 0)
  end
  io.write(string.format(
    'LOADJSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"timeouts": %d, "connect_errors": %d, "read_errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.timeout, summary.errors.connect,
    summary.errors.read, non2xx))
end
