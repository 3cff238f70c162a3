#include "mediawiki/session.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "config/wiki_checks.h"
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

Result<ClientLoginAnswer> ParseClientLoginAnswer(std::string_view body) {
  auto j = ParseJson(body);
  if (!j) return std::unexpected(j.error());
  const Json* cl = ObjectAt(*j, "clientlogin");
  if (!cl) return Fail(Error::Code::kLogin, "the API's clientlogin answer has no 'clientlogin' object");
  ClientLoginAnswer a;
  a.status = Str(cl, "status");
  a.messagecode = Str(cl, "messagecode");
  a.message = Str(cl, "message");
  return a;
}

bool ClientLoginAnswer::definitive() const {
  if (status == "PASS") return false;
  // Session and token trouble: a fresh session may pass (not a refusal of the account).
  static const char* const kTransient[] = {"badtoken", "sessionfailure", "authpage-cannot-login-continue",
                                           "authmanager-authn-not-in-progress", "readonlytext", "readonly"};
  for (const char* code : kTransient)
    if (messagecode == code) return false;
  return !messagecode.starts_with("internal_api_error");
}

Result<void> ParseClientLogin(std::string_view body) {
  auto a = ParseClientLoginAnswer(body);
  if (!a) return std::unexpected(a.error());
  if (a->status == "PASS") return {};
  std::string message = a->message;
  if (message.empty()) message = a->messagecode;
  if (message.empty()) message = "no message";
  std::replace(message.begin(), message.end(), '\n', ' ');  // one line in reports
  return Fail(Error::Code::kLogin, fmt::format("clientlogin {}: {}", a->status.empty() ? "failed" : a->status, message));
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

  // Then clientlogin, one wiki at a time per account (see session.h: the
  // password throttle counts attempts under one global key per user), and
  // meta=userinfo for each wiki whose clientlogin passed, in the next wave.
  struct Pending {
    size_t i;
    std::string token;
  };
  std::map<std::string, std::vector<Pending>> queue;  // account NAME -> wikis still to log in, in order
  for (size_t i = 0; i < order.size(); ++i) {
    LoginResult& res = results[order[i]];
    const Wiki& w = *FindWiki(targets, order[i]);
    res.account = w.account;
    auto it = tokens.find(order[i]);
    if (it == tokens.end() || !it->second.answered() || it->second.fetch.http_status != 200) {
      res.message = "login token request failed: " + (it == tokens.end() ? "no response" : FailureText(it->second));
      res.unreachable = it != tokens.end() && (!it->second.answered() || it->second.fetch.http_status >= 500);
      continue;
    }
    auto token = ParseLoginToken(it->second.body);
    if (!token) {
      res.message = token.error().message;
      continue;
    }
    RegisterSecret(*token);
    // The config and discovery refuse these already; this is where the password goes.
    if (std::string problem = PlainHttpLoginProblem(w.url); !problem.empty()) {
      res.message = "not logged in: " + problem;
      continue;
    }
    if (!passwords.contains(w.account)) {
      res.message = fmt::format("no password for account '{}'", w.account);
      continue;
    }
    queue[w.account].push_back({i, std::move(*token)});
  }
  std::map<std::string, std::string> refused_on;  // account NAME -> the wiki that refused it
  std::vector<size_t> to_check;                   // clientlogin passed: meta=userinfo next
  std::map<std::string, size_t> next;             // account NAME -> index into queue[account]
  for (;;) {
    round.clear();
    std::vector<bool> is_check(order.size(), false);
    for (size_t i : to_check) {
      round.push_back(api_request(i, {{"action", "query"}, {"format", "json"}, {"meta", "userinfo"}}, false));
      is_check[i] = true;
    }
    to_check.clear();
    for (auto& [account, pending] : queue) {
      size_t& k = next[account];
      if (refused_on.contains(account) || k >= pending.size()) continue;
      const Pending& p = pending[k++];
      const Wiki& w = *FindWiki(targets, order[p.i]);
      round.push_back(api_request(p.i,
                                  {{"action", "clientlogin"},
                                   {"format", "json"},
                                   {"loginreturnurl", w.url + "/"},
                                   {"logintoken", p.token},
                                   {"password", passwords.at(account)},
                                   // The refusal is read by people: in English, whatever the wiki's language.
                                   {"uselang", "en"},
                                   {"username", targets.accounts.at(account).username}},
                                  true));
    }
    if (round.empty()) break;
    for (auto& [wiki, resp] : RunRound(engine, std::move(round), order)) {
      LoginResult& res = results[wiki];
      const size_t i = static_cast<size_t>(std::find(order.begin(), order.end(), wiki) - order.begin());
      if (is_check[i]) {
        auto name = ParseUserInfo(resp.body);
        if (!name) res.message = name.error().message;
        else if (name->empty()) res.message = "the wiki still sees an anonymous user after clientlogin (session cookie not kept?)";
        else {
          res.ok = true;
          res.user = *name;
        }
        continue;
      }
      if (!resp.answered() || resp.fetch.http_status != 200) {
        res.message = "clientlogin request failed: " + FailureText(resp);
        res.unreachable = !resp.answered() || resp.fetch.http_status >= 500;
        continue;
      }
      auto answer = ParseClientLoginAnswer(resp.body);
      if (!answer) {
        res.message = answer.error().message;
        continue;
      }
      if (answer->status == "PASS") {
        to_check.push_back(i);
        continue;
      }
      res.message = ParseClientLogin(resp.body).error().message;
      if (answer->definitive()) {
        res.refused = true;
        refused_on.emplace(res.account, wiki);
      }
    }
  }
  // The refused accounts' other wikis: never tried.
  for (auto& [account, pending] : queue) {
    auto refused = refused_on.find(account);
    if (refused == refused_on.end()) continue;
    for (size_t k = next[account]; k < pending.size(); ++k) {
      LoginResult& res = results[order[pending[k].i]];
      res.skipped = true;
      res.refused_on = refused->second;
      res.message = fmt::format("not tried: account '{}' was refused on {} ({})", account, refused->second,
                                results[refused->second].message);
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
