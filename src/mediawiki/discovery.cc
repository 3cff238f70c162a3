#include "mediawiki/discovery.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <tuple>

#include "config/wiki_checks.h"
#include "core/file.h"
#include "core/text.h"
#include "core/url.h"
#include "engine/engine.h"
#include "mediawiki/api_json.h"
#include "mediawiki/ores.h"
#include "plan/plan.h"

namespace bc {
namespace {

// SiteMatrix flags: formatversion 1 writes "" for true, 2 writes true.
bool Flag(const Json& site, const char* key) {
  const Json* v = Member(site, key);
  return v && !(v->is_boolean() && !v->get<bool>());
}

MatrixSite SiteFrom(const Json& s, std::string lang, bool special) {
  MatrixSite m;
  m.dbname = Str(s, "dbname");
  m.url = Str(s, "url");
  m.code = Str(s, "code");
  m.lang = Member(s, "lang") ? Str(s, "lang") : std::move(lang);
  m.sitename = Str(s, "sitename");
  m.special = special;
  m.closed = Flag(s, "closed");
  m.private_ = Flag(s, "private");
  m.fishbowl = Flag(s, "fishbowl");
  m.nonglobal = Flag(s, "nonglobal");
  return m;
}

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// "https://host/w/api.php" -> Wiki{url = "https://host", script_path = "/w"}.
Result<Wiki> ApiWiki(const std::string& api_url, const std::string& where) {
  const size_t scheme = api_url.find("://");
  const size_t slash = scheme == std::string::npos ? std::string::npos : api_url.find('/', scheme + 3);
  if (slash == std::string::npos || !api_url.ends_with("/api.php"))
    return Fail(Error::Code::kConfig, fmt::format("sitematrix '{}' must end in /api.php", api_url), where);
  Wiki w;
  w.dbname = "sitematrix";
  w.url = api_url.substr(0, slash);
  w.script_path = api_url.substr(slash, api_url.size() - slash - std::string("/api.php").size());
  return w;
}

// A plain GET through the Engine (a dblist published on a web server).
Result<std::string> FetchText(Engine& engine, const std::string& url) {
  auto parsed = Url::Parse(url);
  if (!parsed) return Fail(Error::Code::kConfig, fmt::format("cannot fetch dblist '{}': {}", url, parsed.error().message));
  Request r;
  r.url = url;
  r.host = parsed->HostPort();
  std::optional<Response> got;
  auto run = engine.Run({r}, [&](Response&& resp) { got = std::move(resp); });
  if (!run) return std::unexpected(run.error());
  if (!got || !got->answered() || got->fetch.http_status != 200)
    return Fail(Error::Code::kNetwork,
                fmt::format("cannot fetch dblist {}: {}", url,
                            !got ? "no response"
                            : got->answered() ? fmt::format("HTTP {}", got->fetch.http_status)
                                                                    : got->fetch.transport_error));
  return std::move(got->body);
}

std::string NormaliseUrl(std::string url) {
  if (url.starts_with("//")) url = "https:" + url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

struct HostPort {
  std::string scheme, host, port;  // lower-case host; port with the scheme's default filled in
};
std::optional<HostPort> SplitUrl(std::string_view url) {
  auto u = Url::Parse(std::string(url));
  if (!u) return std::nullopt;
  HostPort hp{u->Scheme(), AsciiLower(u->Host()), u->Port()};
  if (hp.scheme.empty() || hp.host.empty() || hp.port.empty()) return std::nullopt;
  return hp;
}

bool IsIpAddress(std::string_view host) {
  return host.starts_with('[') ||
         std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

}  // namespace

std::string OriginAllowlist::Describe() const {
  std::string out;
  for (const std::string& g : globs) out += (out.empty() ? "" : ", ") + g;
  return out;
}

OriginAllowlist MakeOriginAllowlist(const Discovery& d) {
  OriginAllowlist a;
  const auto sm = SplitUrl(d.sitematrix);
  if (!sm) return a;  // no SiteMatrix: nothing is discovered, nothing allowed
  a.sitematrix_scheme = sm->scheme;
  a.sitematrix_port = sm->port;
  for (std::string g : d.allow_hosts) {
    std::transform(g.begin(), g.end(), g.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (g.find(':') == std::string::npos) g += ":" + sm->port;
    a.globs.push_back(std::move(g));
  }
  if (!d.allow_hosts.empty()) return a;
  // Default: the SiteMatrix host and the hosts under its parent domain, unless
  // that parent is a top-level domain or the host an address.
  a.globs.push_back(sm->host + ":" + sm->port);
  const size_t dot = sm->host.find('.');
  if (!IsIpAddress(sm->host) && dot != std::string::npos && sm->host.find('.', dot + 1) != std::string::npos) {
    const std::string parent = sm->host.substr(dot + 1);
    a.globs.push_back(parent + ":" + sm->port);
    a.globs.push_back("*." + parent + ":" + sm->port);
  }
  return a;
}

std::string DiscoveredSiteProblem(const OriginAllowlist& allow, const MatrixSite& site, std::string_view url,
                                  bool logs_in) {
  if (std::string p = DbnameProblem(site.dbname); !p.empty()) return p;
  if (std::string p = WikiUrlProblem(url); !p.empty()) return p;
  const auto hp = SplitUrl(url);
  if (!hp) return "url is not a URL";
  const std::string origin = hp->host + ":" + hp->port;
  const bool allowed = std::any_of(allow.globs.begin(), allow.globs.end(), [&](const std::string& g) {
    return fnmatch(g.c_str(), origin.c_str(), 0) == 0;
  });
  if (!allowed)
    return fmt::format("{} is outside [discovery] allow_hosts ({}): not one request is sent there", origin,
                       allow.Describe());
  if (allow.sitematrix_scheme == "https" && hp->scheme != "https")
    return "plain http although SiteMatrix was read over https";
  if (logs_in)
    if (std::string p = PlainHttpLoginProblem(url); !p.empty()) return p;
  return {};
}

std::string MatrixSite::family() const { return code == "wiki" ? "wikipedia" : code; }

Result<MatrixPage> ParseSiteMatrix(std::string_view body) {
  auto parsed = ParseApiAnswer(body, "action=sitematrix", Error::Code::kNetwork);
  if (!parsed) return std::unexpected(parsed.error());
  const Json& j = *parsed;
  const Json* matrix = ObjectAt(j, "sitematrix");
  if (!matrix)
    return Fail(Error::Code::kNetwork, "action=sitematrix: the answer has no 'sitematrix' object (is SiteMatrix installed?)");
  MatrixPage page;
  for (const auto& [key, entry] : matrix->items()) {
    if (key == "count") continue;
    if (key == "specials") {
      if (entry.is_array())
        for (const Json& s : entry) page.sites.push_back(SiteFrom(s, "", true));
      continue;
    }
    const Json* sites = Member(entry, "site");
    if (!sites || !sites->is_array()) continue;
    const std::string lang = Str(entry, "code");
    for (const Json& s : *sites) page.sites.push_back(SiteFrom(s, lang, false));
  }
  // nlohmann's object iterates keys in sorted order ("0","1","10","2"...):
  // restore SiteMatrix's order (language code, then specials) deterministically.
  std::stable_sort(page.sites.begin(), page.sites.end(), [](const MatrixSite& a, const MatrixSite& b) {
    if (a.special != b.special) return !a.special;
    return a.special ? false : a.lang < b.lang;
  });
  // formatversion 1 continues in query-continue.sitematrix, 2 in continue.
  for (const Json* c : {ObjectAt(j, "query-continue", "sitematrix"), ObjectAt(j, "query-continue"), ObjectAt(j, "continue")})
    if (const Json* sm = Member(c, "smcontinue"); sm && sm->is_string() && page.smcontinue.empty())
      page.smcontinue = sm->get<std::string>();
  return page;
}

std::vector<std::string> ParseDblist(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    const auto e = line.find_last_not_of(" \t\r");
    out.push_back(line.substr(b, e - b + 1));
  }
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  return fnmatch(std::string(pattern).c_str(), std::string(name).c_str(), 0) == 0;
}

Selection SelectSites(const std::vector<MatrixSite>& sites, const Discovery& d, const std::vector<std::string>& dblist) {
  Selection out;
  for (const MatrixSite& s : sites) {
    std::string why;
    if (s.dbname.empty() || s.url.empty()) why = "no dbname or url (add url|dbname to smsiteprop)";
    else if (s.closed && !Has(d.states, "closed")) why = "closed";
    else if (s.private_ && !Has(d.states, "private")) why = "private";
    else if (s.fishbowl && !Has(d.states, "fishbowl")) why = "fishbowl";
    else if (!d.families.empty() && !Has(d.families, s.family())) why = "family " + s.family() + " not in families";
    else if (!dblist.empty() && !Has(dblist, s.dbname)) why = "not in dblist";
    if (why.empty() && !d.include.empty() &&
        std::none_of(d.include.begin(), d.include.end(), [&](const std::string& g) { return GlobMatch(g, s.dbname); }))
      why = "matches no include glob";
    if (why.empty())
      for (const std::string& g : d.exclude)
        if (GlobMatch(g, s.dbname)) {
          why = "excluded by '" + g + "'";
          break;
        }
    if (why.empty()) out.kept.push_back(s);
    else out.skipped.push_back({s.dbname, why});
  }
  return out;
}

Result<Preparation> PrepareTargets(Targets& targets, const RunClock& clock, const Sleeper& sleep,
                                   const FactsHistory& history) {
  Preparation prep;
  const Discovery& d = targets.discovery;
  Engine engine(EngineOptionsFor(targets.crawl, clock));
  const auto wait_cap = std::chrono::milliseconds(targets.crawl.backoff_max_ms);

  if (!d.sitematrix.empty()) {
    std::vector<std::string> dblist;
    if (d.dblist.starts_with("http://") || d.dblist.starts_with("https://")) {
      auto text = FetchText(engine, d.dblist);
      if (!text) return Fail(text.error().code, text.error().message, d.where);
      dblist = ParseDblist(*text);
      if (dblist.empty()) return Fail(Error::Code::kConfig, fmt::format("dblist {} lists no wiki", d.dblist), d.where);
    } else if (!d.dblist.empty()) {
      auto file = ReadFileToString(d.dblist);
      if (!file)
        return Fail(Error::Code::kConfig, fmt::format("cannot read dblist {}: {}", d.dblist, file.error().message),
                    d.where);
      dblist = ParseDblist(*file);
    }
    auto api = ApiWiki(d.sitematrix, d.where);
    if (!api) return std::unexpected(api.error());
    std::vector<MatrixSite> sites;
    std::string cont;
    for (int round = 0; round < 1000; ++round) {  // 1000 x smlimit languages: far above any farm
      Params params = {{"action", "sitematrix"},
                       {"smlimit", std::to_string(d.sitematrix_limit)},
                       {"smsiteprop", "url|dbname|code|lang|sitename"},
                       {"smtype", "language|special"}};
      if (!cont.empty()) params.emplace_back("smcontinue", cont);
      auto answers = RunApiCalls(engine, {ApiCall{"sitematrix", *api, params}}, wait_cap, 3, sleep);
      if (!answers) return std::unexpected(answers.error());
      ++prep.sitematrix_requests;
      const Response& r = answers->front().response;
      if (!r.answered() || r.fetch.http_status != 200)
        return Fail(Error::Code::kNetwork,
                    fmt::format("action=sitematrix failed: {}",
                                r.answered() ? fmt::format("HTTP {}", r.fetch.http_status)
                                                                  : r.fetch.transport_error),
                    d.sitematrix);
      auto page = ParseSiteMatrix(r.body);
      if (!page) return Fail(page.error().code, page.error().message, d.sitematrix);
      for (MatrixSite& s : page->sites) sites.push_back(std::move(s));
      if (page->smcontinue.empty() || page->smcontinue == cont) break;
      cont = page->smcontinue;
    }
    Selection sel = SelectSites(sites, d, dblist);
    prep.skipped = std::move(sel.skipped);
    const OriginAllowlist allow = MakeOriginAllowlist(d);
    for (MatrixSite& s : sel.kept) {
      // A SiteMatrix answer is input from the network: its wikis get the
      // checks a [[wiki]] entry gets, and must lie where the file allows.
      const std::string url = NormaliseUrl(s.url);
      if (std::string problem = DiscoveredSiteProblem(allow, s, url, !d.account.empty()); !problem.empty()) {
        prep.skipped.push_back({s.dbname, problem, true});
        continue;
      }
      const bool listed = std::any_of(targets.wikis.begin(), targets.wikis.end(),
                                      [&](const Wiki& w) { return w.dbname == s.dbname; });
      if (listed) {
        prep.skipped.push_back({s.dbname, "listed as [[wiki]] in the file (the file's entry is used)"});
        continue;
      }
      Wiki w;
      w.dbname = s.dbname;
      w.url = url;
      w.script_path = d.script_path;
      if (!s.lang.empty()) w.lang = s.lang;
      w.account = d.account;
      w.discovered = true;
      w.where = d.sitematrix;
      targets.wikis.push_back(std::move(w));
      prep.discovered.push_back(std::move(s));
    }
  }

  if (d.facts) {
    auto facts = FetchFacts(engine, targets.wikis, wait_cap, d.page_levels, sleep);
    if (!facts) return std::unexpected(facts.error());
    prep.facts = std::move(*facts);
    prep.notes = ApplyFacts(targets, prep.facts, history, &prep.regressions);
  }
  return prep;
}

}  // namespace bc
