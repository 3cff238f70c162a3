// Targets: what to crawl and how, as read from a targets/*.toml file.
// Plain structs passed by const reference; every field documents its default
// and unit. Secrets never live here: an Account says where its password comes
// from (environment variable or a 0600 file), not what it is.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "plan/probe.h"

namespace bc {

// [crawl]: politeness and limits for one run.
struct CrawlOptions {
  std::string user_agent;             // required; descriptive with contact (Wikimedia UA policy)
  int concurrency = 32;               // transfers in flight across all hosts
  int per_host_concurrency = 8;       // transfers in flight per host:port
  double per_host_rps = 0;            // request starts per second per host; 0 = no limit
  int64_t connect_timeout_ms = 5000;  // TCP+TLS connect, per attempt
  int64_t timeout_ms = 60000;         // whole transfer, per attempt
  int64_t low_speed_bytes = 1;        // abort when below this many bytes/s ...
  int64_t low_speed_time_ms = 15000;  // ... for this long (stalled body)
  int retries = 2;                    // extra attempts on 429/502/503/504/connect/reset/timeout (GET only)
  int64_t backoff_ms = 500;           // first backoff; doubles per retry, with jitter
  int64_t backoff_max_ms = 30000;     // backoff and Retry-After are capped at this
  int64_t max_body_bytes = 16 << 20;  // body larger than this aborts the transfer (verdict transport)
  int64_t deadline_ms = 0;            // whole run; 0 = none. At it: in flight -> transport, unstarted -> not-run
  int max_redirects = 5;              // same-host redirects followed per probe
  bool verify_tls = true;             // off only with an explicit flag (prints a warning)
  // "HOST:PORT:ADDR[,ADDR...]" (curl's --resolve): connections to HOST:PORT go to
  // ADDR, whatever DNS says; the URL, Host header, SNI and certificate check keep
  // HOST. For a hostname-based farm, a server before its DNS switch, one chosen
  // backend. Each entry checked by CheckResolveEntry. --resolve adds to these.
  std::vector<std::string> resolve;
  // PEM file of the CAs to trust instead of the system store (a private CA);
  // "" = the system store. Relative to the targets file; --ca-file overrides it.
  // Verification stays on; LoadTargets checks the file (CheckCaFile).
  std::string ca_file;
  std::string ca_file_where;  // FILE:LINE:COL of ca_file, for errors
  bool warnings_fail = false;         // a PHP warning in a page counts as a product failure
  bool ores_api_probes = true;        // api.php ORES probes on wikis whose API says ORES runs (plan.h OresApiProbes)
  double max_tool_failure_share = 0.2;  // more transport+auth than this share => exit code 2
  // Confirmation: after the crawl each product failure is fetched again, at
  // least this long after its first fetch (bounded by deadline_ms); one that
  // never fails again is `flaky`. 0 = no confirmation.
  int64_t confirm_after_ms = 10000;
  int confirm_times = 1;              // re-fetches per failure at most (stops at the first that fails again)
  std::string known;                  // known-issues file (config/known.h), relative to the targets file; "" = none
  // One cap on the bytes all page classifiers of the run hold together, the
  // bodies kept for evidence included (core/memory_budget.h); past it a page
  // is classified from what was kept and says so. [crawl] memory_budget_mb.
  int64_t memory_budget_bytes = int64_t{256} << 20;
  // Failing responses saved (headers + body, redacted) per failure group
  // under results/<run-id>/evidence/ (report/evidence.h); 0 = none.
  int evidence_per_group = 3;
};

// [notify]: who hears about a run when it ends (src/report/notify.h).
struct NotifyOptions {
  std::string webhook;          // http(s) URL that gets one POST of the run's JSON; "" = none
  std::string command;          // run by /bin/sh with the same JSON on stdin; "" = none
  bool always = false;          // also for runs without product failures (when = "always")
  int64_t timeout_ms = 10000;   // per notifier; past it the notifier is given up (reported, exit code unchanged)
};

// [account.NAME]: a MediaWiki account the crawler logs in with.
struct Account {
  std::string name;           // the NAME of [account.NAME]
  std::string username;       // MediaWiki user name
  std::string password_env;   // environment variable holding the password, or
  std::string password_file;  // a file (mode 0600 or stricter) holding it; exactly one is set
  std::string where;          // FILE:LINE:COL of the table, for error messages
};

// [[wiki]]: one wiki to crawl.
struct Wiki {
  std::string dbname;       // e.g. "enwiki"; unique in a targets file
  std::string url;          // base URL, http(s)://host[:port], no path
  std::string script_path = "/w";  // where index.php and api.php live ("" for the web root)
  std::string lang = "en";  // content language code
  std::string account;      // NAME of an [account.NAME]; empty = crawl anonymously
  std::vector<std::string> ores_models = {"damaging", "goodfaith"};  // models whose ORES axes apply
  std::string where;        // FILE:LINE:COL of the entry
  // Levels each model offers on this wiki, from the wiki's own meta=ores
  // ([discovery] facts); never read from the file. A model absent here: its
  // levels are unknown and every configured level is kept. See TrimOresValue.
  std::map<std::string, std::vector<std::string>> ores_levels;
  bool discovered = false;  // came from [discovery] (SiteMatrix), not from a [[wiki]] entry
  bool ores_from_facts = false;  // ores_models came from the wiki's own API: RC/Watchlist probes then
                                 // expect the filter group of every model it runs (the cross-check)
  bool ores_models_set = false;  // the [[wiki]] entry names its ores_models (not the default): the
                                 // file says ORES runs there, so ORES API probes run without facts too,
                                 // and ApplyFacts keeps these models whatever the facts say (ores.h)
  // Where each model and level came from, for `plan --explain`: "meta=ores",
  // "RecentChanges filters", "history of run RUN" (the last run in which the
  // wiki was healthy), or absent = the targets file. Set by ApplyFacts.
  std::map<std::string, std::string> ores_model_source;
  std::map<std::string, std::map<std::string, std::string>> ores_level_source;  // model -> level -> source
};

// [discovery]: where the wiki list and the per-wiki facts come from.
struct Discovery {
  bool facts = false;       // ask each wiki's API (siteinfo, meta=ores) before planning; plan needs the network
  bool preflight = true;    // with facts: the ORES API pre-flight (one api probe per ORES wiki) in `run`
  bool page_levels = true;  // with facts: also load one anonymous RecentChanges page (limit=1) per wiki for
                            // the levels its ORES filters offer (goodfaith's show nowhere else); false = API only
  std::string sitematrix;   // api.php URL of a wiki with SiteMatrix; "" = no SiteMatrix discovery
  std::string dblist;       // file or http(s) URL of dbnames (one a line, # comments): keep only these discovered wikis
  std::vector<std::string> include;   // dbname globs (* and ?) to keep; empty = all
  std::vector<std::string> exclude;   // dbname globs to drop (after include)
  std::vector<std::string> families;  // "wikipedia", "wiktionary", ..., or a special's code ("meta"); empty = all
  std::vector<std::string> states;    // also keep "closed", "private", "fishbowl" wikis (skipped by default)
  std::string account;      // account NAME for discovered wikis; "" = anonymous
  std::string script_path = "/w";  // of discovered wikis
  int64_t sitematrix_limit = 500;  // smlimit: languages per SiteMatrix request
  // Origins a discovered wiki may have: "host" or "host:port" globs (* and ?;
  // without a port: the SiteMatrix URL's port). Empty = the default: the
  // SiteMatrix URL's host and the hosts under its parent domain
  // (meta.wikimedia.beta.wmcloud.org -> *.wikimedia.beta.wmcloud.org), on its
  // port. A wiki elsewhere gets no request at all (mediawiki/discovery.h).
  std::vector<std::string> allow_hosts;
  std::string where;        // FILE:LINE:COL of [discovery]
  bool enabled() const { return facts || !sitematrix.empty(); }
};

enum class Strategy { kCartesian, kPairwise, kExplicit };

// One axis of a page kind's parameter space. A value is a set of query
// parameters: for `limit = ["50", "500"]` the values are {limit=50} and
// {limit=500}; "" means "parameter absent"; an inline table
// `{ damaging__likelybad_color = "c4" }` sets several parameters at once.
struct Axis {
  std::string name;
  std::vector<Params> values;
  bool ores = false;   // from the [page.KIND.ores] table: dropped on wikis without the model
  std::string model;   // for ORES axes: the model it needs ("damaging" / "goodfaith")
};

// [page.KIND]: one page kind and its parameter space.
struct PageSpec {
  PageKind kind = PageKind::kRecentChanges;
  Strategy strategy = Strategy::kPairwise;
  std::vector<Axis> axes;                 // base axes, then ORES axes
  std::vector<Params> explicit_sets;      // strategy = "explicit": the parameter sets to load
  Params fixed;                           // parameters on every probe of this kind
  std::string target_user;                // contributions: whose contributions (required there)
  std::vector<std::string> expect_filter_groups;  // RC/WL: groups that must be on the page
  bool expect_login = true;               // the page must show the wiki's account user
  std::string where;
};

struct Targets {
  std::string path;                       // the file read
  CrawlOptions crawl;
  std::map<std::string, Account> accounts;  // by NAME
  std::vector<Wiki> wikis;                // in file order
  std::vector<PageSpec> pages;            // in kind order (recentchanges, watchlist, contributions)
  int64_t max_probes = 10000;             // plan larger than this => config error
  std::string max_probes_where;
  Discovery discovery;                    // [discovery]; default: off (the file's [[wiki]] list, no network)
  NotifyOptions notify;                   // [notify]; default: nobody
};

// Reads and validates a targets file (and [crawl] ca_file's file). Errors are
// kConfig with where = FILE:LINE:COL.
Result<Targets> LoadTargets(const std::string& path);
// Same, from text (path is only used in messages). For tests.
Result<Targets> ParseTargets(std::string_view text, const std::string& path);

// A resolve entry "HOST:PORT:ADDR[,ADDR...]": HOST a DNS name (letters, digits,
// '-', '.'), PORT 1-65535, each ADDR an IPv4 address or a bracketed IPv6 one
// ("[::1]"). The error message says what is wrong with `entry` (the caller
// adds where: FILE:LINE:COL or the flag).
Result<void> CheckResolveEntry(std::string_view entry);
// A CA file: a readable regular file of at most 16 MB holding a PEM certificate.
Result<void> CheckCaFile(const std::string& path);

// The password of an account, read from its env var or 0600 file.
// Errors name the account's FILE:LINE:COL, never the secret.
Result<std::string> ReadPassword(const Account& account);

}  // namespace bc
