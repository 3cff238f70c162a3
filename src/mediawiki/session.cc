#include "mediawiki/session.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "config/wiki_checks.h"
#include "core/redact.h"
#include "core/url.h"
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

// "fr.wikipedia.beta.test" of "https://fr.wikipedia.beta.test:8343/w"; ""
// when `url` does not parse.
std::string HostOf(const std::string& url) {
  auto u = Url::Parse(url);
  return u ? u->Host() : std::string();
}

// "wikipedia.beta.test" of "https://fr.wikipedia.beta.test:8343": where a
// wiki family's shared login cookies would live.
std::string ParentDomain(const std::string& url) {
  const std::string host = HostOf(url);
  const size_t dot = host.find('.');
  return dot == std::string::npos ? host : host.substr(dot + 1);
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

  // One account at a time per wiki family. Each round is one Run; per account
  // it holds either the userinfo checks of wikis that just received the
  // family's login cookies (nothing else for that account: a clientlogin
  // there might be a wasted password attempt), or the next wiki's clientlogin
  // (with the following wiki's login token, prefetched) and the userinfo
  // check of the wiki whose clientlogin passed in the round before.
  struct AccountState {
    std::vector<size_t> pending;              // wikis not logged in yet, in targets order
    std::map<size_t, std::string> tokens;     // login tokens of pending wikis
    std::vector<size_t> check;                // meta=userinfo in the next round
    std::map<size_t, std::string> via;        // wiki -> the wiki whose login cookies it got
    bool refused = false;
  };
  std::map<std::string, AccountState> accounts;  // by account NAME
  for (size_t i = 0; i < order.size(); ++i) {
    LoginResult& res = results[order[i]];
    const Wiki& w = *FindWiki(targets, order[i]);
    res.account = w.account;
    // The config and discovery refuse these already; this is where the password goes.
    if (std::string problem = PlainHttpLoginProblem(w.url); !problem.empty()) {
      res.message = "not logged in: " + problem;
      continue;
    }
    if (!passwords.contains(w.account)) {
      res.message = fmt::format("no password for account '{}'", w.account);
      continue;
    }
    accounts[w.account].pending.push_back(i);
  }
  enum class Kind { kToken, kLogin, kCheck };
  std::map<std::string, std::string> refused_on;  // account NAME -> the wiki that refused it
  for (;;) {
    std::vector<Request> round;
    std::map<size_t, Kind> kind;
    for (auto& entry : accounts) {
      // A named reference, not a structured binding: clang before 16 cannot
      // capture a structured binding in a lambda (add_token below).
      const std::string& account = entry.first;
      AccountState& a = entry.second;
      if (a.refused) continue;
      for (size_t i : a.check) {
        round.push_back(api_request(i, {{"action", "query"}, {"format", "json"}, {"meta", "userinfo"}}, false));
        kind[i] = Kind::kCheck;
      }
      // The next clientlogin goes to the first waiting wiki not being checked
      // (a check may log it in); the token prefetched with it is the next
      // such wiki's, preferably under another parent domain (likely another
      // family, which this login will not cover).
      std::vector<size_t> candidates;
      for (size_t i : a.pending)
        if (std::find(a.check.begin(), a.check.end(), i) == a.check.end()) candidates.push_back(i);
      a.check.clear();
      if (candidates.empty()) continue;
      const size_t next = candidates.front();
      size_t prefetch = order.size();
      for (size_t k = 1; k < candidates.size(); ++k)
        if (ParentDomain(FindWiki(targets, order[candidates[k]])->url) != ParentDomain(FindWiki(targets, order[next])->url)) {
          prefetch = candidates[k];
          break;
        }
      if (prefetch == order.size() && candidates.size() > 1) prefetch = candidates[1];
      auto add_token = [&](size_t i) {
        if (i >= order.size() || a.tokens.contains(i)) return;
        round.push_back(
            api_request(i, {{"action", "query"}, {"format", "json"}, {"meta", "tokens"}, {"type", "login"}}, false));
        kind[i] = Kind::kToken;
      };
      auto token = a.tokens.find(next);
      if (token == a.tokens.end()) {
        add_token(next);
        add_token(prefetch);
        continue;
      }
      const Wiki& w = *FindWiki(targets, order[next]);
      round.push_back(api_request(next,
                                  {{"action", "clientlogin"},
                                   {"format", "json"},
                                   {"loginreturnurl", w.url + "/"},
                                   {"logintoken", token->second},
                                   {"password", passwords.at(account)},
                                   // The refusal is read by people: in English, whatever the wiki's language.
                                   {"uselang", "en"},
                                   {"username", targets.accounts.at(account).username}},
                                  true));
      kind[next] = Kind::kLogin;
      add_token(prefetch);
    }
    if (round.empty()) break;
    for (auto& [wiki, resp] : RunRound(engine, std::move(round), order)) {
      LoginResult& res = results[wiki];
      const size_t i = static_cast<size_t>(std::find(order.begin(), order.end(), wiki) - order.begin());
      AccountState& a = accounts[res.account];
      auto pos = std::find(a.pending.begin(), a.pending.end(), i);
      const bool pending = pos != a.pending.end();
      switch (kind[i]) {
        case Kind::kCheck: {
          auto name = ParseUserInfo(resp.body);
          if (name && !name->empty()) {
            res.ok = true;
            res.user = *name;
            res.message.clear();
            if (pending) {
              res.via = a.via[i];
              a.pending.erase(pos);
            }
          } else if (pending) {
            // The family's cookies did not log this wiki in: its own clientlogin
            // follows, with a fresh token (the check may have replaced its session).
            a.tokens.erase(i);
          } else if (!name) {
            res.message = name.error().message;
          } else {
            res.message = "the wiki still sees an anonymous user after clientlogin (session cookie not kept?)";
          }
          break;
        }
        case Kind::kToken: {
          std::string problem;
          if (!resp.answered() || resp.fetch.http_status != 200) {
            problem = "login token request failed: " + FailureText(resp);
            res.unreachable = !resp.answered() || resp.fetch.http_status >= 500;
          } else if (auto token = ParseLoginToken(resp.body); !token) {
            problem = token.error().message;
          } else {
            RegisterSecret(*token);
            a.tokens[i] = std::move(*token);
          }
          if (!problem.empty() && pending) {
            res.message = std::move(problem);
            a.pending.erase(pos);
          }
          break;
        }
        case Kind::kLogin: {
          if (pending) a.pending.erase(pos);
          a.tokens.erase(i);
          if (!resp.answered() || resp.fetch.http_status != 200) {
            res.message = "clientlogin request failed: " + FailureText(resp);
            res.unreachable = !resp.answered() || resp.fetch.http_status >= 500;
            break;
          }
          auto answer = ParseClientLoginAnswer(resp.body);
          if (!answer) {
            res.message = answer.error().message;
            break;
          }
          if (answer->status == "PASS") {
            a.check.push_back(i);
            // What the wiki family shares (CentralAuth's central cookies on the
            // family's domain): the other wikis may be logged in already.
            for (size_t j : a.pending)
              if (engine.CopyDomainCookies(order[i], order[j], HostOf(FindWiki(targets, order[j])->url)) > 0) {
                a.check.push_back(j);
                a.via[j] = order[i];
              }
            break;
          }
          res.message = ParseClientLogin(resp.body).error().message;
          if (answer->definitive()) {
            res.refused = true;
            a.refused = true;
            refused_on.emplace(res.account, wiki);
          }
          break;
        }
      }
    }
  }
  // The refused accounts' other wikis: never tried.
  for (auto& [account, a] : accounts) {
    auto refused = refused_on.find(account);
    if (refused == refused_on.end()) continue;
    for (size_t i : a.pending) {
      LoginResult& res = results[order[i]];
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
