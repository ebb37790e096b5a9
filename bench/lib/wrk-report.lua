-- wrk script of bench/churn.sh: after the run, prints exact figures wrk's text rounds
-- (latency percentiles and maximum in microseconds) and the count of every status code
-- that is not 2xx, so a 5xx can be told from a 4xx or a 3xx.
--   figures requests=N p50_us=.. p99_us=.. max_us=.. connect=.. read=.. write=.. timeout=.. status=..
--   status CODE COUNT        (one line per non-2xx code seen)
-- Defining response() makes wrk hand every response to Lua; the cost is the same in
-- both runs of a churn comparison.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  if status < 200 or status > 299 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "figures requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status))
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      io.write(string.format("status %d %d\n", code, n))
    end
  end
end
