-- wrk script: cycle through the benchmark's URL paths /x/1 .. /x/N instead of
-- hitting one URL, so wrk sees the same mix as the other tools (1% are 500s).
--   wrk -t2 -c32 -d3s -s wrk_urls.lua http://127.0.0.1:PORT/ -- N
-- Each thread starts at its own offset so the threads do not walk in step.
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  n = tonumber(args[1]) or 20000
  i = (offset or 0) * 7919 % n
end

function request()
  i = i % n + 1
  return wrk.format("GET", "/x/" .. i)
end
