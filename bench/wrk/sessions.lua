-- POST /v1/sessions as the browser script sends it, a new visitor every request, to site $SITE (default bench);
-- with $SITES (comma-separated), to each in turn, from its own domain (https://SITE.example).
local site = os.getenv("SITE") or "bench"
local sites = {}
for s in string.gmatch(os.getenv("SITES") or "", "[^,]+") do
  table.insert(sites, s)
end
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
  local to, headers = site, nil
  if #sites > 0 then
    to = sites[counter % #sites + 1]
    -- wrk.format takes these instead of wrk.headers: all of them, with this site's Origin
    headers = {}
    for k, v in pairs(wrk.headers) do
      headers[k] = v
    end
    headers["Origin"] = "https://" .. to .. ".example"
  end
  local body = '{"siteKey":"' .. to .. '","visitorId":"' .. visitor .. '","url":"https://bench.example/?utm_source=google&utm_medium=cpc&utm_term=sofa","referrer":"https://www.google.com/"}'
  return wrk.format(nil, "/v1/sessions", headers, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non-2xx: %d\n", non2xx))
end
