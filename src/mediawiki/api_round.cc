#include "mediawiki/api_round.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <thread>

#include "engine/http_util.h"
#include "mediawiki/api_json.h"
#include "plan/plan.h"

namespace bc {
namespace {

const std::string* Header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (k == name) return &v;
  return nullptr;
}

}  // namespace

Params ApiParams(const Params& params) {
  std::map<std::string, std::string> m(params.begin(), params.end());
  m["format"] = "json";
  m["formatversion"] = "2";
  return Params(m.begin(), m.end());
}

bool IsMaxlagAnswer(std::string_view body, const std::vector<std::pair<std::string, std::string>>& headers) {
  if (const std::string* h = Header(headers, "mediawiki-api-error"); h && *h == "maxlag") return true;
  // Cheap test first: only a body that mentions maxlag is parsed.
  if (body.find("maxlag") == std::string_view::npos) return false;
  const Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  return Str(ObjectAt(j, "error"), "code") == "maxlag";
}

std::chrono::milliseconds MaxlagDelay(const std::vector<std::pair<std::string, std::string>>& headers,
                                      std::chrono::milliseconds cap) {
  std::chrono::milliseconds d{5000};
  if (const std::string* h = Header(headers, "retry-after"))
    if (auto s = ParseRetryAfter(*h, std::time(nullptr))) d = std::chrono::duration_cast<std::chrono::milliseconds>(*s);
  return std::min(d, cap);
}

Result<std::vector<ApiAnswer>> RunApiCalls(Engine& engine, const std::vector<ApiCall>& calls,
                                           std::chrono::milliseconds wait_cap, int max_waits, const Sleeper& sleep) {
  std::vector<ApiAnswer> answers(calls.size());
  std::vector<Request> pending;
  for (size_t i = 0; i < calls.size(); ++i) {
    const bool api = calls[i].script == "api.php";
    auto built = BuildUrl(calls[i].wiki, calls[i].script, api ? ApiParams(calls[i].params) : calls[i].params);
    if (!built) return std::unexpected(built.error());
    answers[i].key = calls[i].key;
    answers[i].url = built->url;
    answers[i].host = built->host;
    Request r;
    r.index = i;
    r.url = built->url;
    r.host = built->host;
    r.api = api;
    pending.push_back(std::move(r));
  }
  while (!pending.empty()) {
    std::vector<Request> again;
    std::chrono::milliseconds wait{0};
    auto run = engine.Run(std::move(pending), [&](Response&& r) {
      ApiAnswer& a = answers[r.index];
      const bool lagged = IsMaxlagAnswer(r.body, r.headers);
      if (lagged && a.maxlag_waits < max_waits) {
        ++a.maxlag_waits;
        wait = std::max(wait, MaxlagDelay(r.headers, wait_cap));
        Request q;
        q.index = r.index;
        q.url = a.url;
        q.host = a.host;
        q.api = true;
        again.push_back(std::move(q));
      }
      a.response = std::move(r);
    });
    if (!run) return std::unexpected(run.error());
    if (!again.empty() && wait.count() > 0) {
      if (sleep) sleep(wait);
      else engine.Sleep(wait);  // ends early at Ctrl-C or the run deadline; the next Run then ends the calls
    }
    pending = std::move(again);
  }
  return answers;
}

}  // namespace bc
