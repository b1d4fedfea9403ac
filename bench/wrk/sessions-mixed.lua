-- POST /v1/sessions as browsers send it, a new visitor every request, with User-Agents (1,500 real browsers'
-- from the tests' data) and referrers (search engines with and without terms, networks, assistants, webmail,
-- other sites, none) in turn, so traffic-source and bot classification do their real work.
local counter = 0
local agents = {}
for line in io.lines("src/test/resources/useragents/browsers-user-agents-npm.txt") do
  if line ~= "" and line:sub(1, 2) ~= "# " then agents[#agents + 1] = line end
end
local referrers = {
  "https://www.google.com/", "https://www.google.co.uk/", "https://yandex.ru/search/?text=sofa+buy",
  "https://www.bing.com/search?q=plumber+london", "https://duckduckgo.com/", "https://es.search.yahoo.com/search?p=sofa",
  "https://www.baidu.com/s?wd=sofa", "https://l.facebook.com/l.php?u=x", "https://t.co/abc", "https://vk.com/away.php",
  "https://chatgpt.com/", "https://www.perplexity.ai/search/abc", "https://mail.google.com/", "https://e.mail.ru/inbox/",
  "https://blog.partner.org/review", "https://forum.example.org/thread/1", "https://www.pricerunner.co.uk/search?q=sofa",
  "https://news.ycombinator.com/", "https://www.reddit.com/r/sofas/", ""
}
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["Origin"] = "http://localhost"

function setup(thread)
  thread:set("id", math.random(1, 2147483647))
end

function request()
  counter = counter + 1
  local visitor = string.format("mixed%08x%010d", id or 0, counter)
  local body = '{"siteKey":"bench","visitorId":"' .. visitor .. '","url":"https://bench.example/sofas","referrer":"'
      .. referrers[counter % #referrers + 1] .. '"}'
  return wrk.format(nil, "/v1/sessions", { ["User-Agent"] = agents[counter % #agents + 1] }, body)
end
