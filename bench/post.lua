-- wrk script: POST {} as JSON (the Lambda Invoke body) and count non-2xx statuses by code.
wrk.method = "POST"
wrk.body   = "{}"
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

-- Lambda answers 200 even when the function failed; the X-Amz-Function-Error header tells.
function response(status, headers, body)
  local key = tostring(status)
  if headers["X-Amz-Function-Error"] or headers["x-amz-function-error"] then
    key = key .. "+FunctionError"
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for code, n in pairs(s) do merged[code] = (merged[code] or 0) + n end
    end
  end
  local parts = {}
  for code, n in pairs(merged) do table.insert(parts, code .. "=" .. n) end
  table.sort(parts)
  io.write("status_counts: " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("latency_us p50=%d p90=%d p99=%d p999=%d max=%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
  io.write(string.format("requests=%d duration_us=%d rps=%.1f errors_connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
