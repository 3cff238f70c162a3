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
  double seconds = 0;       // wall time of the three API round trips
};

// Pure parsers of api.php JSON answers (unit-tested on recorded answers).
// meta=tokens&type=login -> the login token.
Result<std::string> ParseLoginToken(std::string_view body);
// action=clientlogin -> ok, or the API's status and message.
Result<void> ParseClientLogin(std::string_view body);
// meta=userinfo -> the user name; "" when anonymous.
Result<std::string> ParseUserInfo(std::string_view body);

// Logs the accounts of `wikis` (dbnames from targets; wikis without an
// account are skipped) in, all wikis concurrently through `engine`.
// `passwords` maps account NAME to password. Returns one result per wiki
// attempted, in targets order. Clears a wiki's cookie scope first, so it also
// serves as a re-login.
std::vector<LoginResult> LogIn(Engine& engine, const Targets& targets, const std::vector<std::string>& wikis,
                               const std::map<std::string, std::string>& passwords);

// Reads the password of every account a wiki in `wikis` uses (empty = all).
Result<std::map<std::string, std::string>> ReadPasswords(const Targets& targets,
                                                         const std::vector<std::string>& wikis = {});

}  // namespace bc
