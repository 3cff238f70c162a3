// MediaWiki sessions: logging the QA account in to each wiki through the API
// (meta=tokens&type=login, then action=clientlogin), so index.php pages see a
// logged-in user. Cookies live in the Engine's per-wiki cookie scope (the
// wiki's dbname), in memory only; nothing here stores or prints a secret.
//
// A bot-password session (action=login with User@app) is API-only: index.php
// answers Special:Watchlist with a redirect to Special:UserLogin. HTML pages
// need clientlogin, so that is what this module does.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/targets.h"
#include "core/error.h"
#include "engine/engine.h"

namespace bc {

// Outcome of logging one wiki in. `message` is the API's reason on failure
// (never contains the password).
struct LoginResult {
  std::string wiki;         // dbname
  bool ok = false;
  std::string user;         // the user name the wiki says we are (meta=userinfo)
  std::string message;      // why it failed; empty on success
  double seconds = 0;       // wall time of the whole LogIn call
  bool refused = false;     // the wiki refused the account for good (wrong password,
                            // throttled, locked, blocked, a second factor needed)
  bool skipped = false;     // never tried: the account was refused on `refused_on`
  std::string account;      // the account NAME tried (or skipped)
  std::string refused_on;   // skipped: the wiki that refused the account
  std::string via;          // ok without a clientlogin of its own: the wiki whose login
                            // cookies (the family's, e.g. CentralAuth's) logged it in
  bool unreachable = false; // the wiki's API did not answer the login (transport error or
                            // HTTP 5xx, e.g. an edge error page): nothing is known about
                            // the account; the crawl loads the wiki's pages anyway
};

// What action=clientlogin answered.
struct ClientLoginAnswer {
  std::string status;       // PASS, FAIL, UI, REDIRECT, RESTART
  std::string messagecode;  // e.g. wrongpassword, login-throttled
  std::string message;      // the wiki's text (for a throttle it names the wait)
  // A refusal that another attempt would only repeat and that counts against
  // MediaWiki's password-attempt throttle: any non-PASS answer except a lost
  // session or token (badtoken, sessionfailure, ...), which a retry may fix.
  bool definitive() const;
};

// Pure parsers of api.php JSON answers (unit-tested on recorded answers).
// meta=tokens&type=login -> the login token.
Result<std::string> ParseLoginToken(std::string_view body);
// action=clientlogin -> ok, or the API's status and message.
Result<void> ParseClientLogin(std::string_view body);
// action=clientlogin -> its status, code and message (an Error only when the
// body is not a clientlogin answer at all).
Result<ClientLoginAnswer> ParseClientLoginAnswer(std::string_view body);
// meta=userinfo -> the user name; "" when anonymous.
Result<std::string> ParseUserInfo(std::string_view body);

// Logs the accounts of `wikis` (dbnames from targets; wikis without an
// account are skipped) in through `engine`. `passwords` maps account NAME to
// password. Returns one result per wiki, in targets order. Clears a wiki's
// cookie scope first, so it also serves as a re-login.
//
// One account's clientlogins never overlap. MediaWiki's password-attempt
// throttle counts every attempt of a user (from one IP) under a global key
// (CentralAuth: all wikis; default 5 per 300 s) and only a success clears it:
// a dozen concurrent logins of one account can lock it out everywhere. So
// each account logs in to one wiki at a time (different accounts in parallel),
// and as few times as the wiki family allows: after a clientlogin passes, the
// domain cookies it set (CentralAuth's central login on the family's parent
// domain) are copied to the account's wikis still waiting, and those are
// checked with meta=userinfo (no password) before any of them gets a
// clientlogin of its own; those it logged in have `via` set. On beta that is
// one clientlogin per family (wikipedia, wikimedia, ...), not one per wiki;
// without shared cookies it is one per wiki, as before. After the first
// definitive refusal (ClientLoginAnswer::definitive) the account is not tried
// again: its other wikis get skipped = true, with refused_on and the refusal's
// message, so one wrong password costs one attempt, not one per wiki.
std::vector<LoginResult> LogIn(Engine& engine, const Targets& targets, const std::vector<std::string>& wikis,
                               const std::map<std::string, std::string>& passwords);

// Reads the password of every account a wiki in `wikis` uses (empty = all).
Result<std::map<std::string, std::string>> ReadPasswords(const Targets& targets,
                                                         const std::vector<std::string>& wikis = {});

}  // namespace bc
