-- POST /v1/sessions as the browser script sends it, a new visitor every request, to site $SITE (default bench).
local site = os.getenv("SITE") or "bench"
local counter = 0
local thread_id = math.random(1, 2147483647)
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["Origin"] = "http://localhost"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

function setup(thread)
  thread:set("id", math.random(1, 2147483647))
end

function request()
  counter = counter + 1
  local visitor = string.format("bench%08x%010d", id or thread_id, counter)
  local body = '{"siteKey":"' .. site .. '","visitorId":"' .. visitor .. '","url":"https://bench.example/?utm_source=google&utm_medium=cpc&utm_term=sofa","referrer":"https://www.google.com/"}'
  return wrk.format(nil, "/v1/sessions", nil, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non-2xx: %d\n", non2xx))
end
