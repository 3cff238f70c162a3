#include "mediawiki/session.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "core/redact.h"
#include "mediawiki/api_json.h"
#include "plan/plan.h"

namespace bc {
namespace {

Result<Json> ParseJson(std::string_view body) { return ParseApiAnswer(body, "", Error::Code::kLogin); }

// application/x-www-form-urlencoded body; values are escaped by curl.
std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    std::unique_ptr<char, decltype(&curl_free)> ev(curl_easy_escape(nullptr, v.c_str(), static_cast<int>(v.size())),
                                                   &curl_free);
    if (!out.empty()) out += '&';
    out += k + "=" + (ev ? ev.get() : "");
  }
  return out;
}

const Wiki* FindWiki(const Targets& t, const std::string& dbname) {
  for (const Wiki& w : t.wikis)
    if (w.dbname == dbname) return &w;
  return nullptr;
}

// One round: the same kind of request for several wikis at once.
std::map<std::string, Response> RunRound(Engine& engine, std::vector<Request> requests,
                                         const std::vector<std::string>& order) {
  std::map<std::string, Response> out;
  auto run = engine.Run(std::move(requests), [&](Response&& r) { out[order[r.index]] = std::move(r); });
  (void)run;  // a failed Run leaves `out` without entries; callers treat missing as failure
  return out;
}

std::string FailureText(const Response& r) {
  if (!r.answered()) return r.fetch.transport_error.empty() ? r.cause : r.fetch.transport_error;
  return fmt::format("HTTP {}", r.fetch.http_status);
}

}  // namespace

Result<std::string> ParseLoginToken(std::string_view body) {
  auto j = ParseJson(body);
  if (!j) return std::unexpected(j.error());
  // A real token is 32+ hex digits and "+\\"; a number or anything this short is not one.
  const Json* token = Member(ObjectAt(*j, "query", "tokens"), "logintoken");
  if (!token || !token->is_string() || token->get_ref<const std::string&>().size() < 3)
    return Fail(Error::Code::kLogin, "the API returned no login token (meta=tokens&type=login)");
  return token->get<std::string>();
}

Result<void> ParseClientLogin(std::string_view body) {
  auto j = ParseJson(body);
  if (!j) return std::unexpected(j.error());
  const Json* cl = ObjectAt(*j, "clientlogin");
  if (!cl) return Fail(Error::Code::kLogin, "the API's clientlogin answer has no 'clientlogin' object");
  const std::string status = Str(cl, "status");
  if (status == "PASS") return {};
  std::string message = Str(cl, "message");
  if (message.empty()) message = Str(cl, "messagecode");
  if (message.empty()) message = "no message";
  return Fail(Error::Code::kLogin, fmt::format("clientlogin {}: {}", status.empty() ? "failed" : status, message));
}

Result<std::string> ParseUserInfo(std::string_view body) {
  auto j = ParseJson(body);
  if (!j) return std::unexpected(j.error());
  const Json* ui = ObjectAt(*j, "query", "userinfo");
  if (!ui) return Fail(Error::Code::kLogin, "the API's userinfo answer has no query.userinfo");
  if (Member(ui, "anon")) return std::string();
  return Str(ui, "name");
}

Result<std::map<std::string, std::string>> ReadPasswords(const Targets& targets, const std::vector<std::string>& wikis) {
  std::map<std::string, std::string> out;
  for (const Wiki& w : targets.wikis) {
    if (w.account.empty() || out.contains(w.account)) continue;
    if (!wikis.empty() && std::find(wikis.begin(), wikis.end(), w.dbname) == wikis.end()) continue;
    auto pw = ReadPassword(targets.accounts.at(w.account));
    if (!pw) return std::unexpected(pw.error());
    out.emplace(w.account, std::move(*pw));
  }
  return out;
}

std::vector<LoginResult> LogIn(Engine& engine, const Targets& targets, const std::vector<std::string>& wikis,
                               const std::map<std::string, std::string>& passwords) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> order;
  std::map<std::string, LoginResult> results;
  for (const Wiki& w : targets.wikis) {
    if (w.account.empty()) continue;
    if (!wikis.empty() && std::find(wikis.begin(), wikis.end(), w.dbname) == wikis.end()) continue;
    order.push_back(w.dbname);
    results[w.dbname].wiki = w.dbname;
    engine.ClearSession(w.dbname);
  }
  auto api_request = [&](size_t i, const Params& params, bool post) -> Request {
    const Wiki& w = *FindWiki(targets, order[i]);
    Request r;
    r.index = i;
    r.session = w.dbname;
    r.api = true;
    auto built = BuildUrl(w, "api.php", post ? Params{} : params);
    if (built) {
      r.url = built->url;
      r.host = built->host;
    }
    if (post) r.post_fields = FormEncode(params);
    return r;
  };

  // Round 1: login tokens. The token request also starts the session cookie.
  std::vector<Request> round;
  for (size_t i = 0; i < order.size(); ++i)
    round.push_back(api_request(i, {{"action", "query"}, {"format", "json"}, {"meta", "tokens"}, {"type", "login"}}, false));
  auto tokens = RunRound(engine, std::move(round), order);

  // Round 2: clientlogin for every wiki that gave a token.
  round.clear();
  for (size_t i = 0; i < order.size(); ++i) {
    LoginResult& res = results[order[i]];
    auto it = tokens.find(order[i]);
    if (it == tokens.end() || !it->second.answered() || it->second.fetch.http_status != 200) {
      res.message = "login token request failed: " + (it == tokens.end() ? "no response" : FailureText(it->second));
      continue;
    }
    auto token = ParseLoginToken(it->second.body);
    if (!token) {
      res.message = token.error().message;
      continue;
    }
    RegisterSecret(*token);
    const Wiki& w = *FindWiki(targets, order[i]);
    const Account& acc = targets.accounts.at(w.account);
    auto pw = passwords.find(w.account);
    if (pw == passwords.end()) {
      res.message = fmt::format("no password for account '{}'", w.account);
      continue;
    }
    round.push_back(api_request(i,
                                {{"action", "clientlogin"},
                                 {"format", "json"},
                                 {"loginreturnurl", w.url + "/"},
                                 {"logintoken", *token},
                                 {"password", pw->second},
                                 {"username", acc.username}},
                                true));
  }
  auto logins = RunRound(engine, std::move(round), order);

  // Round 3: ask the wiki who we are, so a "PASS" that did not stick is caught.
  round.clear();
  for (auto& [wiki, resp] : logins) {
    LoginResult& res = results[wiki];
    if (!resp.answered() || resp.fetch.http_status != 200) {
      res.message = "clientlogin request failed: " + FailureText(resp);
      continue;
    }
    if (auto ok = ParseClientLogin(resp.body); !ok) {
      res.message = ok.error().message;
      continue;
    }
    const size_t i = static_cast<size_t>(std::find(order.begin(), order.end(), wiki) - order.begin());
    round.push_back(api_request(i, {{"action", "query"}, {"format", "json"}, {"meta", "userinfo"}}, false));
  }
  auto infos = RunRound(engine, std::move(round), order);
  for (auto& [wiki, resp] : infos) {
    LoginResult& res = results[wiki];
    auto name = ParseUserInfo(resp.body);
    if (!name) {
      res.message = name.error().message;
    } else if (name->empty()) {
      res.message = "the wiki still sees an anonymous user after clientlogin (session cookie not kept?)";
    } else {
      res.ok = true;
      res.user = *name;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<LoginResult> out;
  for (const std::string& wiki : order) {
    LoginResult r = std::move(results[wiki]);
    r.seconds = seconds;
    if (!r.ok && r.message.empty()) r.message = "login did not complete";
    // The API's message is the wiki's text: it may echo the password, the token or a cookie.
    RedactInPlace(r.message);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace bc
