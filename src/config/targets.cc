#include "config/targets.h"

#include "config/toml_parse.h"
#include "config/wiki_checks.h"
#include "core/file.h"
#include "core/redact.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <toml++/toml.h>

namespace bc {
namespace {

// Thrown only inside this file and converted to an Error at the boundary
// (ParseTargets): it keeps the validation code a flat list of checks.
struct ConfigFailure {
  Error error;
};

class TargetsParser {
 public:
  explicit TargetsParser(std::string path) : path_(std::move(path)) {}

  Targets Parse(const toml::table& root) {
    Targets t;
    t.path = path_;
    CheckKeys(root, {"crawl", "account", "wiki", "page", "discovery", "notify"}, "top level");
    if (auto* crawl = root.get("crawl")) ParseCrawl(Table(*crawl, "crawl"), t);
    else Fail(root, "missing [crawl] table; it needs at least user_agent = \"name/version (contact)\"");
    if (auto* accounts = root.get("account")) ParseAccounts(Table(*accounts, "account"), t);
    if (auto* d = root.get("discovery")) ParseDiscovery(Table(*d, "discovery"), t);
    if (auto* n = root.get("notify")) ParseNotify(Table(*n, "notify"), t);
    if (auto* wikis = root.get("wiki")) ParseWikis(*wikis, t);
    if (t.wikis.empty() && t.discovery.sitematrix.empty())
      Fail(root, "no wikis: add at least one [[wiki]] entry with dbname and url, or [discovery] sitematrix = \"URL\"");
    if (auto* pages = root.get("page")) ParsePages(Table(*pages, "page"), t);
    if (t.pages.empty())
      Fail(root, "no page kinds: add [page.recentchanges], [page.watchlist] or [page.contributions]");
    CheckWatchlistAccounts(t);
    return t;
  }

 private:
  std::string Where(const toml::node& n) const {
    const auto& s = n.source().begin;
    return fmt::format("{}:{}:{}", path_, s.line, s.column);
  }
  [[noreturn]] void Fail(const toml::node& n, std::string message) const {
    throw ConfigFailure{Error{Error::Code::kConfig, std::move(message), Where(n)}};
  }

  const toml::table& Table(const toml::node& n, std::string_view name) const {
    if (auto* t = n.as_table()) return *t;
    Fail(n, fmt::format("'{}' must be a table", name));
  }

  void CheckKeys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                 std::string_view context) const {
    for (auto&& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      const auto& pos = key.source().begin;  // point at the key itself, not its value
      throw ConfigFailure{Error{Error::Code::kConfig,
                                fmt::format("unknown key '{}' in {}; known keys: {}", key.str(), context, list),
                                pos.line ? fmt::format("{}:{}:{}", path_, pos.line, pos.column) : Where(node)}};
    }
  }

  std::string String(const toml::node& n, std::string_view key) const {
    if (auto v = n.value<std::string>(); v && n.is_string()) return *v;
    Fail(n, fmt::format("'{}' must be a string", key));
  }

  int64_t Integer(const toml::node& n, std::string_view key, int64_t min, int64_t max) const {
    if (!n.is_integer()) Fail(n, fmt::format("'{}' must be an integer", key));
    const int64_t v = *n.value<int64_t>();
    if (v < min || v > max) Fail(n, fmt::format("'{}' = {} is out of range; use {} to {}", key, v, min, max));
    return v;
  }

  double Number(const toml::node& n, std::string_view key, double min, double max) const {
    if (!n.is_number()) Fail(n, fmt::format("'{}' must be a number", key));
    const double v = *n.value<double>();
    // Written so that nan (valid TOML) fails too: every comparison with nan is false.
    if (!(v >= min && v <= max)) Fail(n, fmt::format("'{}' = {} is out of range; use {} to {}", key, v, min, max));
    return v;
  }

  bool Bool(const toml::node& n, std::string_view key) const {
    if (!n.is_boolean()) Fail(n, fmt::format("'{}' must be true or false", key));
    return *n.value<bool>();
  }

  std::vector<std::string> StringList(const toml::node& n, std::string_view key) const {
    auto* arr = n.as_array();
    if (!arr) Fail(n, fmt::format("'{}' must be an array of strings", key));
    std::vector<std::string> out;
    for (auto& el : *arr) out.push_back(String(el, key));
    return out;
  }

  void ParseCrawl(const toml::table& c, Targets& t) {
    CheckKeys(c,
              {"user_agent", "concurrency", "per_host_concurrency", "per_host_rps", "connect_timeout_ms",
               "timeout_ms", "low_speed_bytes", "low_speed_time_ms", "retries", "backoff_ms", "backoff_max_ms",
               "max_body_bytes", "deadline_ms", "max_redirects", "warnings_fail", "max_tool_failure_share",
               "ores_api_probes",
               "max_probes", "resolve", "ca_file", "confirm_after_ms", "confirm_times", "known", "memory_budget_mb",
               "evidence_per_group"},
              "[crawl]");
    CrawlOptions& o = t.crawl;
    if (auto* n = c.get("user_agent")) {
      o.user_agent = String(*n, "user_agent");
      if (std::string problem = UserAgentProblem(o.user_agent); !problem.empty()) Fail(*n, problem);
      // Wikimedia's User-Agent policy: say who you are and how to reach you.
      const bool has_contact = o.user_agent.find('@') != std::string::npos ||
                               o.user_agent.find("http://") != std::string::npos ||
                               o.user_agent.find("https://") != std::string::npos;
      if (o.user_agent.size() < 10 || !has_contact)
        Fail(*n, "user_agent must name the tool and a contact (an e-mail address or URL), e.g. "
                 "\"beta-crawler/0.1 (https://example.org/qa; qa@example.org)\"");
    } else {
      Fail(c, "[crawl] needs user_agent = \"name/version (contact URL or e-mail)\"");
    }
    if (auto* n = c.get("concurrency")) o.concurrency = static_cast<int>(Integer(*n, "concurrency", 1, 1024));
    if (auto* n = c.get("per_host_concurrency"))
      o.per_host_concurrency = static_cast<int>(Integer(*n, "per_host_concurrency", 1, 1024));
    if (o.per_host_concurrency > o.concurrency) {
      const toml::node* n = c.get("per_host_concurrency");
      Fail(n ? *n : static_cast<const toml::node&>(c),
           fmt::format("per_host_concurrency ({}) is larger than concurrency ({}); it can be at most that",
                       o.per_host_concurrency, o.concurrency));
    }
    if (auto* n = c.get("per_host_rps")) o.per_host_rps = Number(*n, "per_host_rps", 0, 100000);
    if (auto* n = c.get("connect_timeout_ms")) o.connect_timeout_ms = Integer(*n, "connect_timeout_ms", 100, 600000);
    if (auto* n = c.get("timeout_ms")) o.timeout_ms = Integer(*n, "timeout_ms", 100, 3600000);
    if (o.timeout_ms < o.connect_timeout_ms)
      Fail(c.get("timeout_ms") ? *c.get("timeout_ms") : *c.get("connect_timeout_ms"), fmt::format("timeout_ms ({}) is shorter than connect_timeout_ms ({})",
                                             o.timeout_ms, o.connect_timeout_ms));
    if (auto* n = c.get("low_speed_bytes")) o.low_speed_bytes = Integer(*n, "low_speed_bytes", 0, 1 << 30);
    if (auto* n = c.get("low_speed_time_ms")) o.low_speed_time_ms = Integer(*n, "low_speed_time_ms", 1000, 3600000);
    if (auto* n = c.get("retries")) o.retries = static_cast<int>(Integer(*n, "retries", 0, 10));
    if (auto* n = c.get("backoff_ms")) o.backoff_ms = Integer(*n, "backoff_ms", 0, 600000);
    if (auto* n = c.get("backoff_max_ms")) o.backoff_max_ms = Integer(*n, "backoff_max_ms", 0, 3600000);
    if (auto* n = c.get("max_body_bytes")) o.max_body_bytes = Integer(*n, "max_body_bytes", 1024, int64_t{1} << 34);
    if (auto* n = c.get("deadline_ms")) o.deadline_ms = Integer(*n, "deadline_ms", 0, int64_t{24} * 3600000);
    if (auto* n = c.get("max_redirects")) o.max_redirects = static_cast<int>(Integer(*n, "max_redirects", 0, 20));
    if (auto* n = c.get("warnings_fail")) o.warnings_fail = Bool(*n, "warnings_fail");
    if (auto* n = c.get("ores_api_probes")) o.ores_api_probes = Bool(*n, "ores_api_probes");
    if (auto* n = c.get("max_tool_failure_share"))
      o.max_tool_failure_share = Number(*n, "max_tool_failure_share", 0, 1);
    if (auto* n = c.get("resolve")) {
      auto* arr = n->as_array();
      if (!arr) Fail(*n, "'resolve' must be an array of \"HOST:PORT:ADDR\" strings");
      for (auto& el : *arr) {
        std::string entry = String(el, "resolve");
        if (auto ok = CheckResolveEntry(entry); !ok) Fail(el, "resolve: " + ok.error().message);
        o.resolve.push_back(std::move(entry));
      }
    }
    if (auto* n = c.get("ca_file")) {
      o.ca_file = String(*n, "ca_file");
      std::filesystem::path p(o.ca_file);  // relative to the targets file, like password_file
      if (p.is_relative()) o.ca_file = (std::filesystem::path(path_).parent_path() / p).string();
      o.ca_file_where = Where(*n);  // the file itself is checked by LoadTargets (no I/O while parsing)
    }
    if (auto* n = c.get("confirm_after_ms")) o.confirm_after_ms = Integer(*n, "confirm_after_ms", 0, 600000);
    if (auto* n = c.get("confirm_times")) o.confirm_times = static_cast<int>(Integer(*n, "confirm_times", 1, 5));
    if (auto* n = c.get("memory_budget_mb"))
      o.memory_budget_bytes = Integer(*n, "memory_budget_mb", 16, 1 << 20) << 20;
    if (auto* n = c.get("evidence_per_group"))
      o.evidence_per_group = static_cast<int>(Integer(*n, "evidence_per_group", 0, 100));
    if (auto* n = c.get("known")) {
      o.known = String(*n, "known");
      if (o.known.empty()) Fail(*n, "known is empty; leave it out, or name a known-issues file");
      // Relative to the targets file, like password_file.
      std::filesystem::path p(o.known);
      if (p.is_relative()) o.known = (std::filesystem::path(path_).parent_path() / p).string();
    }
    if (auto* n = c.get("max_probes")) {
      t.max_probes = Integer(*n, "max_probes", 1, 10000000);
      t.max_probes_where = Where(*n);
    } else {
      t.max_probes_where = Where(c);
    }
  }

  void ParseAccounts(const toml::table& accounts, Targets& t) {
    for (auto&& [key, node] : accounts) {
      const std::string name(key.str());
      const toml::table& a = Table(node, "account." + name);
      Account acc;
      acc.name = name;
      acc.where = Where(node);
      if (auto* p = a.get("password"))
        Fail(*p, fmt::format("account.{}: passwords never go in a targets file; use password_env = \"VAR\" "
                             "or password_file = \"path\" (mode 0600)",
                             name));
      CheckKeys(a, {"username", "password_env", "password_file"}, "[account." + name + "]");
      if (auto* n = a.get("username")) acc.username = String(*n, "username");
      if (acc.username.empty()) Fail(node, fmt::format("account.{} needs username = \"...\"", name));
      if (auto* n = a.get("password_env")) {
        acc.password_env = String(*n, "password_env");
        acc.where = Where(*n);
      }
      if (auto* n = a.get("password_file")) {
        acc.password_file = String(*n, "password_file");
        acc.where = Where(*n);
        // Relative paths are relative to the targets file, so a checked-in
        // targets file works from any working directory.
        std::filesystem::path p(acc.password_file);
        if (p.is_relative()) acc.password_file = (std::filesystem::path(path_).parent_path() / p).string();
      }
      if (acc.password_env.empty() == acc.password_file.empty())
        Fail(node, fmt::format("account.{} needs exactly one of password_env = \"VAR\" or password_file = \"path\"",
                               name));
      t.accounts.emplace(name, std::move(acc));
    }
  }

  std::string CheckUrl(const toml::node& n, const std::string& url) const {
    if (std::string problem = WikiUrlProblem(url); !problem.empty()) Fail(n, problem);
    std::string out = url;
    while (!out.empty() && out.back() == '/') out.pop_back();
    return out;
  }

  void ParseWikis(const toml::node& node, Targets& t) {
    auto* arr = node.as_array();
    if (!arr) Fail(node, "'wiki' must be an array of tables: write each wiki as [[wiki]]");
    std::set<std::string> seen;
    for (auto& el : *arr) {
      const toml::table& w = Table(el, "wiki");
      CheckKeys(w, {"dbname", "url", "script_path", "lang", "account", "ores_models"}, "[[wiki]]");
      Wiki wiki;
      wiki.where = Where(el);
      if (auto* n = w.get("dbname")) wiki.dbname = String(*n, "dbname");
      else Fail(el, "[[wiki]] needs dbname = \"...\" (e.g. \"enwiki\")");
      if (std::string problem = DbnameProblem(wiki.dbname); !problem.empty()) Fail(*w.get("dbname"), problem);
      if (!seen.insert(wiki.dbname).second)
        Fail(*w.get("dbname"), fmt::format("wiki '{}' is listed twice; each dbname once", wiki.dbname));
      if (auto* n = w.get("url")) wiki.url = CheckUrl(*n, String(*n, "url"));
      else Fail(el, fmt::format("wiki '{}' needs url = \"https://host\"", wiki.dbname));
      if (auto* n = w.get("script_path")) {
        wiki.script_path = String(*n, "script_path");
        if (std::string problem = ScriptPathProblem(wiki.script_path); !problem.empty()) Fail(*n, problem);
      }
      if (auto* n = w.get("lang")) wiki.lang = String(*n, "lang");
      if (auto* n = w.get("account")) {
        wiki.account = String(*n, "account");
        if (!t.accounts.contains(wiki.account))
          Fail(*n, fmt::format("wiki '{}' uses account '{}', which is not defined; add [account.{}]", wiki.dbname,
                               wiki.account, wiki.account));
        if (std::string problem = PlainHttpLoginProblem(wiki.url); !problem.empty())
          Fail(*w.get("url"), fmt::format("wiki '{}' logs in as account '{}': {}", wiki.dbname, wiki.account, problem));
      }
      if (auto* n = w.get("ores_models")) {
        wiki.ores_models = StringList(*n, "ores_models");
        wiki.ores_models_set = true;
        for (auto& m : wiki.ores_models)
          if (m != "damaging" && m != "goodfaith")
            Fail(*n, fmt::format("unknown ORES model '{}'; known: damaging, goodfaith", m));
      }
      t.wikis.push_back(std::move(wiki));
    }
  }

  // An axis value: "" (parameter absent), "v" (name=v) or an inline table of parameters.
  Params AxisValue(const toml::node& n, const std::string& axis) const {
    Params p;
    if (n.is_string()) {
      const std::string v = *n.value<std::string>();
      if (!v.empty()) p.emplace_back(axis, v);
    } else if (auto* tbl = n.as_table()) {
      for (auto&& [k, v] : *tbl) p.emplace_back(std::string(k.str()), String(v, k.str()));
    } else {
      Fail(n, fmt::format("values of axis '{}' must be strings (\"\" = parameter absent) or inline tables of "
                          "parameters",
                          axis));
    }
    std::sort(p.begin(), p.end());
    return p;
  }

  static std::string OresModelOf(const std::string& axis) {
    if (axis.starts_with("goodfaith")) return "goodfaith";
    return "damaging";  // damaging, damaging__*_color, hidenondamaging, highlight combos
  }

  void ParseAxes(const toml::table& axes, bool ores, PageSpec& spec) {
    for (auto&& [key, node] : axes) {
      Axis axis;
      axis.name = std::string(key.str());
      axis.ores = ores;
      if (ores) axis.model = OresModelOf(axis.name);
      auto* arr = node.as_array();
      if (!arr) Fail(node, fmt::format("axis '{}' must be an array of values", axis.name));
      if (arr->empty()) Fail(node, fmt::format("axis '{}' is empty; give it at least one value (\"\" = absent)", axis.name));
      for (auto& v : *arr) {
        // An inline table that sets parameters from several models (a highlight
        // mix) needs the model of its first parameter; good enough for ORES axes.
        axis.values.push_back(AxisValue(v, axis.name));
      }
      spec.axes.push_back(std::move(axis));
    }
  }

  void ParsePages(const toml::table& pages, Targets& t) {
    for (PageKind kind : {PageKind::kRecentChanges, PageKind::kWatchlist, PageKind::kContributions}) {
      auto* node = pages.get(PageKindName(kind));
      if (!node) continue;
      const std::string ctx = "[page." + std::string(PageKindName(kind)) + "]";
      const toml::table& p = Table(*node, ctx);
      CheckKeys(p, {"strategy", "axes", "ores", "explicit", "target_user", "expect_filter_groups", "expect_login"},
                ctx);
      PageSpec spec;
      spec.kind = kind;
      spec.where = Where(*node);
      if (auto* n = p.get("strategy")) {
        const std::string s = String(*n, "strategy");
        if (s == "cartesian") spec.strategy = Strategy::kCartesian;
        else if (s == "pairwise") spec.strategy = Strategy::kPairwise;
        else if (s == "explicit") spec.strategy = Strategy::kExplicit;
        else Fail(*n, fmt::format("strategy '{}' is unknown; use \"cartesian\", \"pairwise\" or \"explicit\"", s));
      }
      if (auto* n = p.get("axes")) ParseAxes(Table(*n, ctx + ".axes"), false, spec);
      if (auto* n = p.get("ores")) ParseAxes(Table(*n, ctx + ".ores"), true, spec);
      if (auto* n = p.get("explicit")) {
        auto* arr = n->as_array();
        if (!arr || arr->empty()) Fail(*n, "'explicit' must be a non-empty array of inline tables of parameters");
        for (auto& el : *arr) {
          if (!el.is_table()) Fail(el, "each 'explicit' entry must be an inline table, e.g. { limit = \"50\" }");
          spec.explicit_sets.push_back(AxisValue(el, ""));
        }
      }
      if (spec.strategy == Strategy::kExplicit && spec.explicit_sets.empty())
        Fail(*node, ctx + " has strategy = \"explicit\" but no explicit = [ {...}, ... ] list");
      if (spec.strategy != Strategy::kExplicit && !spec.explicit_sets.empty())
        Fail(*p.get("explicit"), ctx + " has an explicit list; set strategy = \"explicit\" to use it");
      if (auto* n = p.get("target_user")) spec.target_user = String(*n, "target_user");
      if (kind == PageKind::kContributions && spec.target_user.empty())
        Fail(*node, "[page.contributions] needs target_user = \"User name\" (whose contributions to load)");
      if (kind != PageKind::kContributions && p.get("target_user"))
        Fail(*p.get("target_user"), "target_user applies to [page.contributions] only");
      if (auto* n = p.get("expect_filter_groups")) {
        spec.expect_filter_groups = StringList(*n, "expect_filter_groups");
        if (kind == PageKind::kContributions)
          Fail(*n, "Contributions has no structured filters; expect_filter_groups applies to recentchanges and watchlist");
      }
      if (auto* n = p.get("expect_login")) spec.expect_login = Bool(*n, "expect_login");
      spec.fixed.emplace_back("title", kind == PageKind::kRecentChanges ? "Special:RecentChanges"
                                       : kind == PageKind::kWatchlist   ? "Special:Watchlist"
                                                                        : "Special:Contributions");
      if (kind == PageKind::kContributions) spec.fixed.emplace_back("target", spec.target_user);
      t.pages.push_back(std::move(spec));
    }
    for (auto&& [key, node] : pages) {
      auto kind = ParsePageKind(key.str());
      if (!kind || *kind == PageKind::kApi)
        Fail(node, fmt::format("unknown page kind '{}'; use recentchanges, watchlist or contributions", key.str()));
    }
  }

  // [discovery]: SiteMatrix, dblist, filters, facts (targets/README.md).
  void ParseDiscovery(const toml::table& d, Targets& t) {
    CheckKeys(d,
              {"facts", "preflight", "page_levels", "sitematrix", "dblist", "include", "exclude", "families", "states", "account",
               "script_path", "sitematrix_limit", "allow_hosts"},
              "[discovery]");
    Discovery& o = t.discovery;
    o.where = Where(d);
    if (auto* n = d.get("facts")) o.facts = Bool(*n, "facts");
    if (auto* n = d.get("preflight")) o.preflight = Bool(*n, "preflight");
    if (auto* n = d.get("page_levels")) o.page_levels = Bool(*n, "page_levels");
    if (auto* n = d.get("sitematrix")) {
      o.sitematrix = String(*n, "sitematrix");
      if (!o.sitematrix.starts_with("http://") && !o.sitematrix.starts_with("https://"))
        Fail(*n, fmt::format("sitematrix '{}' must be the http(s) URL of an api.php, e.g. "
                             "\"https://meta.wikimedia.beta.wmcloud.org/w/api.php\"", o.sitematrix));
    }
    if (auto* n = d.get("dblist")) {
      o.dblist = String(*n, "dblist");
      std::filesystem::path p(o.dblist);
      const bool url = o.dblist.starts_with("http://") || o.dblist.starts_with("https://");
      if (!url && p.is_relative()) o.dblist = (std::filesystem::path(path_).parent_path() / p).string();
    }
    if (auto* n = d.get("include")) o.include = StringList(*n, "include");
    if (auto* n = d.get("exclude")) o.exclude = StringList(*n, "exclude");
    if (auto* n = d.get("families")) o.families = StringList(*n, "families");
    if (auto* n = d.get("states")) {
      o.states = StringList(*n, "states");
      for (const auto& st : o.states)
        if (st != "closed" && st != "private" && st != "fishbowl")
          Fail(*n, fmt::format("unknown wiki state '{}'; use \"closed\", \"private\" or \"fishbowl\"", st));
    }
    if (auto* n = d.get("account")) {
      o.account = String(*n, "account");
      if (!t.accounts.contains(o.account))
        Fail(*n, fmt::format("[discovery] uses account '{}', which is not defined; add [account.{}]", o.account,
                             o.account));
    }
    if (auto* n = d.get("script_path")) {
      o.script_path = String(*n, "script_path");
      if (std::string problem = ScriptPathProblem(o.script_path); !problem.empty()) Fail(*n, problem);
    }
    if (auto* n = d.get("sitematrix_limit")) o.sitematrix_limit = Integer(*n, "sitematrix_limit", 1, 5000);
    if (auto* n = d.get("allow_hosts")) {
      o.allow_hosts = StringList(*n, "allow_hosts");
      for (const std::string& g : o.allow_hosts)
        if (std::string problem = HostGlobProblem(g); !problem.empty()) Fail(*n, problem);
    }
    if (o.sitematrix.empty())
      for (const char* k : {"dblist", "include", "exclude", "families", "states", "account", "sitematrix_limit",
                            "allow_hosts"})
        if (auto* n = d.get(k))
          Fail(*n, fmt::format("'{}' filters SiteMatrix discovery; set sitematrix = \"https://.../api.php\" too", k));
  }

  void ParseNotify(const toml::table& n, Targets& t) {
    CheckKeys(n, {"webhook", "command", "when", "timeout_ms"}, "[notify]");
    NotifyOptions& o = t.notify;
    if (auto* v = n.get("webhook")) {
      o.webhook = String(*v, "webhook");
      if (o.webhook.rfind("http://", 0) != 0 && o.webhook.rfind("https://", 0) != 0)
        Fail(*v, "webhook must be an http(s) URL");  // the URL itself is not echoed: it may hold a token
    }
    if (auto* v = n.get("command")) o.command = String(*v, "command");
    if (auto* v = n.get("when")) {
      const std::string when = String(*v, "when");
      if (when != "always" && when != "failures")
        Fail(*v, fmt::format("when = '{}': use \"failures\" (the default: runs with product failures) or \"always\"",
                             when));
      o.always = when == "always";
    }
    if (auto* v = n.get("timeout_ms")) o.timeout_ms = Integer(*v, "timeout_ms", 100, 600000);
  }

  void CheckWatchlistAccounts(const Targets& t) const {
    for (const PageSpec& p : t.pages) {
      if (p.kind != PageKind::kWatchlist) continue;
      if (!t.discovery.sitematrix.empty() && t.discovery.account.empty())
        throw ConfigFailure{Error{Error::Code::kConfig,
                                  "[discovery] finds wikis without an account, but [page.watchlist] needs a "
                                  "logged-in user; add account = \"NAME\" to [discovery]",
                                  t.discovery.where}};
      for (const Wiki& w : t.wikis)
        if (w.account.empty())
          throw ConfigFailure{Error{Error::Code::kConfig,
                                    fmt::format("wiki '{}' has no account, but [page.watchlist] needs a logged-in "
                                                "user; add account = \"NAME\" to the wiki",
                                                w.dbname),
                                    w.where}};
    }
  }

  std::string path_;
};

}  // namespace

Result<Targets> ParseTargets(std::string_view text, const std::string& path) {
  auto root = ParseTomlText(text, path);
  if (!root) return std::unexpected(root.error());
  try {
    return TargetsParser(path).Parse(*root);
  } catch (const ConfigFailure& f) {
    return std::unexpected(f.error);
  }
}

Result<Targets> LoadTargets(const std::string& path) {
  auto text = ReadFileToString(path);
  if (!text) return Fail(Error::Code::kConfig, fmt::format("cannot read targets file: {}", text.error().message), path);
  auto targets = ParseTargets(*text, path);
  if (targets && !targets->crawl.ca_file.empty())
    if (auto ok = CheckCaFile(targets->crawl.ca_file); !ok)
      return Fail(Error::Code::kConfig, "ca_file: " + ok.error().message, targets->crawl.ca_file_where);
  return targets;
}

Result<void> CheckResolveEntry(std::string_view entry) {
  auto bad = [&](std::string why) {
    return Fail(Error::Code::kConfig, fmt::format("'{}' is not HOST:PORT:ADDR ({})", entry, why));
  };
  const size_t c1 = entry.find(':');
  const size_t c2 = c1 == std::string_view::npos ? c1 : entry.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return bad("it needs two ':', e.g. en.wikipedia.beta.test:443:127.0.0.1");
  const std::string_view host = entry.substr(0, c1), port = entry.substr(c1 + 1, c2 - c1 - 1),
                         addrs = entry.substr(c2 + 1);
  if (host.empty() || host.size() > 253) return bad("no host name");
  for (char ch : host)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.'))
      return bad(fmt::format("host '{}' may only have letters, digits, '-' and '.'", host));
  int port_value = 0;
  if (port.empty() || port.size() > 5) return bad(fmt::format("port '{}' is not 1-65535", port));
  for (char ch : port) {
    if (ch < '0' || ch > '9') return bad(fmt::format("port '{}' is not 1-65535", port));
    port_value = port_value * 10 + (ch - '0');
  }
  if (port_value < 1 || port_value > 65535) return bad(fmt::format("port '{}' is not 1-65535", port));
  if (addrs.empty()) return bad("no address after the port");
  size_t start = 0;
  while (start <= addrs.size()) {
    const size_t comma = std::min(addrs.find(',', start), addrs.size());
    const std::string addr(addrs.substr(start, comma - start));
    unsigned char buf[16];
    const bool v4 = inet_pton(AF_INET, addr.c_str(), buf) == 1;
    const bool v6 = addr.size() > 2 && addr.front() == '[' && addr.back() == ']' &&
                    inet_pton(AF_INET6, addr.substr(1, addr.size() - 2).c_str(), buf) == 1;
    if (!v4 && !v6)
      return bad(fmt::format("address '{}' is not an IPv4 address or a bracketed IPv6 one like [::1]", addr));
    start = comma + 1;
  }
  return {};
}

Result<void> CheckCaFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return Fail(Error::Code::kConfig, fmt::format("cannot read CA file {}: {}", path, std::strerror(errno)));
  // A bundle is a few hundred KB; never read a device or a huge file.
  if (!S_ISREG(st.st_mode) || st.st_size > (16 << 20))
    return Fail(Error::Code::kConfig, fmt::format("CA file {} is not a regular file of at most 16 MB", path));
  auto text = ReadFileToString(path);
  if (!text)
    return Fail(Error::Code::kConfig, fmt::format("cannot read CA file {}: {}", path, text.error().message));
  if (text->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return Fail(Error::Code::kConfig, fmt::format("CA file {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path));
  return {};
}

Result<std::string> ReadPassword(const Account& account) {
  std::string pw;
  if (!account.password_env.empty()) {
    const char* v = std::getenv(account.password_env.c_str());
    if (!v || !*v)
      return Fail(Error::Code::kConfig,
                  fmt::format("account.{}: environment variable {} is not set or empty", account.name,
                              account.password_env),
                  account.where);
    pw = v;
  } else {
    struct stat st {};
    if (stat(account.password_file.c_str(), &st) != 0)
      return Fail(Error::Code::kConfig,
                  fmt::format("account.{}: cannot read password file {}: {}", account.name, account.password_file,
                              std::strerror(errno)),
                  account.where);
    if ((st.st_mode & 077) != 0)
      return Fail(Error::Code::kConfig,
                  fmt::format("account.{}: password file {} is readable by others (mode {:o}); chmod 600 it",
                              account.name, account.password_file, st.st_mode & 0777),
                  account.where);
    std::ifstream in(account.password_file, std::ios::binary);
    if (!in)
      return Fail(Error::Code::kConfig,
                  fmt::format("account.{}: cannot read password file {}: {}", account.name, account.password_file,
                              std::strerror(errno)),
                  account.where);
    std::getline(in, pw);  // the first line; a trailing newline is not part of it
  }
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  RegisterSecret(pw);  // from now on Redact() hides it wherever it is echoed
  if (pw.empty())
    return Fail(Error::Code::kConfig, fmt::format("account.{}: the password is empty", account.name), account.where);
  return pw;
}

}  // namespace bc
