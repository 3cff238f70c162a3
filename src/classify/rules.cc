// The verdict rules. Each rule is a named function that either gives the
// verdict (with its evidence) or passes (nullopt); DecideHtml / DecideApi run
// them in the order README.md lists. Rules only read PageFacts.
#include "classify/rules.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <clocale>
#include <cwctype>
#include <functional>
#include <optional>

#include <locale.h>

#include "classify/classifier.h"
#include "classify/exception_text.h"
#include "classify/find.h"
#include "classify/head_info.h"
#include "classify/signature.h"
#include "core/text.h"
#include "core/utf8.h"

namespace bc {
namespace {

using Rule = std::optional<Classification>;



// PHP appends " in FILE on line N" to every message; the file path differs
// between deployments (and wikis), so grouping leaves it out.
std::string PhpSignature(const PhpFinding& f) {
  std::string_view m = f.message;
  const size_t on_line = m.rfind(" on line ");
  if (on_line != std::string_view::npos) {
    const size_t in = m.rfind(" in ", on_line);
    m = m.substr(0, in != std::string_view::npos ? in : on_line);
  }
  return NormalizeSignature("PHP " + f.label, m);
}

std::string TitleParam(std::string_view url) {
  const size_t at = url.find("title=");
  if (at == std::string_view::npos) return {};
  std::string_view v = url.substr(at + 6);
  v = v.substr(0, v.find('&'));
  return std::string(v);
}

// Special:UserLogin or Special:CreateAccount (where MediaWiki 1.43+ sends a
// temporary account) by canonical name, or a login redirect's returnto= (the
// localized Special page name differs per wiki, the parameter does not).
bool IsLoginUrl(std::string_view url) {
  const std::string title = AsciiLower(TitleParam(url));
  const std::string lower = AsciiLower(url);
  for (std::string_view page : {"userlogin", "createaccount"}) {
    const std::string name(page);
    if (title.find("special:" + name) != std::string::npos || title.find("special%3a" + name) != std::string::npos ||
        lower.find("/special:" + name) != std::string::npos)
      return true;
  }
  return url.find("returnto=") != std::string_view::npos;
}

std::string_view ExpectedSpecialPage(PageKind kind) {
  switch (kind) {
    case PageKind::kRecentChanges: return "Recentchanges";
    case PageKind::kWatchlist: return "Watchlist";
    case PageKind::kContributions: return "Contributions";
    case PageKind::kApi: return "";
  }
  return "";
}

// Caps and sanitises every evidence field, fills the request id from the
// page (wgRequestId) or the X-Request-Id header, and derives the signature.
void AddCommonEvidence(const PageFacts& f, Classification& c, const HeadInfo* head_info) {
  Evidence& e = c.evidence;
  if (e.request_id.empty() && head_info) e.request_id = head_info->request_id;
  if (e.request_id.empty()) e.request_id = std::string(f.header_request_id);
  e.request_id = SafeExcerpt(e.request_id, 100);
  e.exception_class = SafeExcerpt(e.exception_class, 200);
  e.message = SafeExcerpt(e.message, 1000);
  e.excerpt = SafeExcerpt(e.excerpt, 300);
  e.detail = SafeExcerpt(e.detail, 300);
  if (e.signature.empty()) e.signature = NormalizeSignature(e.exception_class, e.message);
}

// What the HTML rules read: the facts plus what DecideHtml derives once.
struct Html {
  const PageFacts& f;
  const Expectations& exp;
  HeadInfo hi;
  const BodyFacts& bf;
  bool rc_or_wl;
  bool groups_ok;
  bool is5xx;
  std::string st;
  std::string heading;    // h1#firstHeading, else <title>
  std::string warn_note;  // " (also a PHP Warning)" when one was printed

  Classification Make(Verdict v, std::string detail, std::string signature, std::string excerpt,
                      Evidence e = {}) const {
    Classification c;
    c.verdict = v;
    c.evidence = std::move(e);
    c.evidence.detail = std::move(detail);
    c.evidence.signature = std::move(signature);
    c.evidence.excerpt = std::move(excerpt);
    AddCommonEvidence(f, c, &hi);
    return c;
  }
};

Evidence ExceptionEvidence(const ExceptionText& ex) {
  Evidence e;
  e.exception_class = ex.cls;
  e.message = ex.message;
  e.request_id = ex.request_id;
  return e;
}

// --- HTML rules, in order -------------------------------------------------

// A 3xx the engine did not follow: to the login page (or, for a temporary
// account, Special:CreateAccount) is auth; anywhere else broken.
Rule RuleRedirect(const Html& h) {
  const long s = h.f.status;
  if (s < 300 || s >= 400) return std::nullopt;
  if (IsLoginUrl(h.f.location))
    return h.Make(Verdict::kAuth, "HTTP " + h.st + " redirect to the login page", "login-redirect",
                  std::string(h.f.location));
  return h.Make(Verdict::kBroken, "HTTP " + h.st + " redirect not followed", "http-" + h.st, std::string(h.f.location));
}

// MediaWiki's exception box (any status; 1.39 mw-message-box-error, older
// errorbox, 1.43+ Codex cdx-message--error in any class order): the strongest
// evidence there is, when its text starts "[id]" or the status is 5xx.
Rule RuleExceptionBox(const Html& h) {
  if (!h.bf.error_box) return std::nullopt;
  const std::string box = std::string(TrimAsciiSpace(h.bf.error_box_text));
  const ExceptionText ex = ParseExceptionText(box);
  if (!ex.parsed && !h.is5xx) return std::nullopt;
  const bool db = IsDbClass(ex.cls) || box.find("A database query error has occurred") != std::string::npos;
  return h.Make(db ? Verdict::kDbError : Verdict::kException,
                "HTTP " + h.st + ", MediaWiki error box (" + h.bf.error_box_class + ")" + h.warn_note,
                NormalizeSignature(ex.cls, ex.message), box, ExceptionEvidence(ex));
}

// PHP died outside MediaWiki's handler ("Fatal error: … on line N").
Rule RulePhpFatal(const Html& h) {
  const auto& fatal = h.f.php->first_fatal();
  if (!fatal) return std::nullopt;
  Evidence e;
  e.exception_class = "PHP " + fatal->label;
  e.message = fatal->message;
  return h.Make(Verdict::kFatal, "HTTP " + h.st + ", PHP " + fatal->label + " printed into the page",
                PhpSignature(*fatal), fatal->label + ": " + fatal->message, std::move(e));
}

Rule RuleEmptyBody(const Html& h) {
  if (h.f.bytes != 0) return std::nullopt;
  if (h.is5xx) return h.Make(Verdict::kFatal, "HTTP " + h.st + " with an empty body", "http-" + h.st + "-empty", "");
  return h.Make(Verdict::kBroken, "HTTP " + h.st + " with an empty body", "empty-body", "");
}

bool IsMediaWikiPage(const Html& h) { return h.hi.has_rlconf || h.bf.content_text; }

// The edge host that answered: the first name in X-Cache ("cp1089 int"), else
// the one the Wikimedia error page's footer names ("Request from ... via
// cp1089 cp1089, Varnish XID ..."); "" when neither says.
std::string EdgeHost(const PageFacts& f) {
  auto token = [](std::string_view s) {
    const size_t end = s.find_first_of(" ,;\t\r\n<");
    return std::string(s.substr(0, end));
  };
  if (!f.header_x_cache.empty()) return SafeExcerpt(token(TrimAsciiSpace(f.header_x_cache)), 100);
  for (std::string_view text : {f.head, f.prefix}) {
    const size_t via = text.find(" via ");
    if (via == std::string_view::npos) continue;
    if (std::string host = token(text.substr(via + 5)); !host.empty()) return SafeExcerpt(host, 100);
  }
  return {};
}

// "Wikimedia Error" title, or a 502/503/504 that is not a MediaWiki page.
Rule RuleEdgeError(const Html& h) {
  const bool edge_status = h.f.status == 502 || h.f.status == 503 || h.f.status == 504;
  if (AsciiLower(h.hi.title).find("wikimedia error") == std::string::npos && !(edge_status && !IsMediaWikiPage(h)))
    return std::nullopt;
  const std::string edge = EdgeHost(h.f);
  return h.Make(Verdict::kEdgeError,
                "HTTP " + h.st + ", edge/proxy error page (title \"" + h.hi.title + "\")" +
                    (edge.empty() ? std::string() : ", edge " + edge),
                "edge-" + h.st, h.hi.title.empty() ? std::string(h.f.prefix) : h.hi.title + ": " + std::string(h.f.prefix));
}

// The skinless text a non-MediaWiki-page starts with (head holds it all when
// there is no <body>).
std::string_view RawText(const Html& h) {
  return h.f.head.empty() ? h.f.prefix : h.f.head.substr(0, 4096);
}

// MediaWiki's skinless "[id] …: Fatal exception of type" report.
Rule RuleRawException(const Html& h) {
  if (IsMediaWikiPage(h)) return std::nullopt;
  const std::string_view raw = RawText(h);
  const ExceptionText ex = ParseExceptionText(DecodeBasicEntities(raw));
  if (!ex.parsed) return std::nullopt;
  return h.Make(IsDbClass(ex.cls) ? Verdict::kDbError : Verdict::kException,
                "HTTP " + h.st + ", MediaWiki's plain-text exception report", NormalizeSignature(ex.cls, ex.message),
                std::string(raw), ExceptionEvidence(ex));
}

// An exception thrown inside the exception handler: "MediaWiki internal
// error. Original exception: [id] …". The original exception's class, id and
// message give the same signature as an ordinary exception page of that class.
Rule RuleExceptionInHandler(const Html& h) {
  if (IsMediaWikiPage(h)) return std::nullopt;
  const std::string_view raw = RawText(h);
  const auto ex = ParseInternalErrorText(DecodeBasicEntities(raw));
  if (!ex) return std::nullopt;
  return h.Make(IsDbClass(ex->cls) ? Verdict::kDbError : Verdict::kException,
                "HTTP " + h.st + ", MediaWiki internal error (exception inside the exception handler)",
                NormalizeSignature(ex->cls, ex->message), std::string(raw), ExceptionEvidence(*ex));
}

// MWExceptionRenderer::reportOutageHTML, used for DBConnectionError only:
// a skinless page with MediaWiki's fixed inline style and "<p><small>(info)".
Rule RuleOutagePage(const Html& h) {
  if (IsMediaWikiPage(h)) return std::nullopt;
  constexpr std::string_view kBareStyle =
      "<style>body { font-family: sans-serif; margin: 0; padding: 0.5em 2em; }</style>";
  const std::string_view prefix = h.f.prefix;
  if (FastFind(prefix, kBareStyle) == std::string::npos || FastFind(prefix, "<p><small>") == std::string::npos)
    return std::nullopt;
  Evidence e;
  e.exception_class = "Wikimedia\\Rdbms\\DBConnectionError";
  const size_t body_at = FastFind(prefix, "<body>");
  return h.Make(Verdict::kDbError, "HTTP " + h.st + ", MediaWiki's database outage page",
                NormalizeSignature(e.exception_class, ""),
                std::string(body_at == std::string::npos ? prefix : prefix.substr(body_at + 6)), std::move(e));
}

// Any other body that is not a MediaWiki page: fatal on 5xx, else broken.
Rule RuleNotMediaWiki(const Html& h) {
  if (IsMediaWikiPage(h)) return std::nullopt;
  const std::string prefix(h.f.prefix);
  if (h.is5xx) return h.Make(Verdict::kFatal, "HTTP " + h.st + " without a MediaWiki error page", "http-" + h.st, prefix);
  const std::string_view first = TrimAsciiSpace(prefix);
  std::string what = "not a MediaWiki HTML page";
  if (!first.empty() && (first[0] == '{' || first[0] == '[')) what = "JSON where an HTML page was expected";
  else if (AsciiLower(prefix).find("<html") == std::string::npos) what = "not HTML";
  return h.Make(Verdict::kBroken, "HTTP " + h.st + ", " + what + h.warn_note, "not-mediawiki-html", prefix);
}

// A MediaWiki page on 5xx without an exception box.
Rule RuleServerErrorPage(const Html& h) {
  if (!h.is5xx) return std::nullopt;
  return h.Make(Verdict::kException, "HTTP " + h.st + " MediaWiki page without an exception box" + h.warn_note,
                "http-" + h.st, h.heading);
}

// The login page (Special:UserLogin, or Special:CreateAccount where 1.43+
// sends a temporary account) served instead of the page asked for: the
// session is gone, whether or not the probe named an expected user.
Rule RuleLoginPage(const Html& h) {
  const std::string& special = h.hi.canonical_special;
  if (special != "Userlogin" && special != "CreateAccount" && !IsLoginUrl(h.f.final_url)) return std::nullopt;
  const std::string what = special == "CreateAccount" ? "account creation page" : "login page";
  return h.Make(Verdict::kAuth,
                "the " + what + " was served instead of the " + std::string(PageKindName(h.exp.kind)) + " page",
                "login-page", h.hi.title);
}

// An error box that is not an exception (e.g. "too many requests", an invalid target).
Rule RuleErrorBox(const Html& h) {
  if (!h.bf.error_box) return std::nullopt;
  return h.Make(Verdict::kBroken, "HTTP " + h.st + ", error box instead of the page content" + h.warn_note,
                NormalizeSignature("error-box", h.bf.error_box_text), h.bf.error_box_text);
}

// The logged-in view the probe asked for: not anonymous, not another user.
Rule RuleExpectedUser(const Html& h) {
  if (h.exp.expect_user.empty() || !h.hi.user_present) return std::nullopt;
  if (h.hi.user_is_null)
    return h.Make(Verdict::kAuth, "anonymous view (wgUserName is null), expected user " + h.exp.expect_user,
                  "anonymous-view", h.hi.title);
  if (NormalizeUserName(h.hi.user_name) != NormalizeUserName(h.exp.expect_user))
    return h.Make(Verdict::kAuth, "logged in as " + h.hi.user_name + ", expected " + h.exp.expect_user, "wrong-user",
                  h.hi.title);
  return std::nullopt;
}

// MediaWiki always ends a page with </html>.
Rule RuleTruncated(const Html& h) {
  const std::string_view last = h.f.last;
  if (TrimAsciiSpace(last).ends_with("</html>")) return std::nullopt;
  return h.Make(Verdict::kBroken, "HTTP " + h.st + ", page truncated (no </html> at the end)" + h.warn_note,
                "truncated", std::string(last));
}

// 4xx, except MediaWiki's 404 for an RC/WL with no results (mw-changeslist-empty).
Rule RuleClientError(const Html& h) {
  if (h.f.status < 400 || (h.f.status == 404 && h.rc_or_wl && h.f.list == ListMarker::kChangesEmpty))
    return std::nullopt;
  return h.Make(Verdict::kBroken, "HTTP " + h.st + " " + h.hi.title + h.warn_note, "http-" + h.st, h.heading);
}

Rule RuleWrongSpecialPage(const Html& h) {
  const std::string_view want = ExpectedSpecialPage(h.exp.kind);
  if (h.hi.canonical_special.empty() || h.hi.canonical_special == want) return std::nullopt;
  return h.Make(Verdict::kBroken, "expected Special:" + std::string(want) + ", got Special:" + h.hi.canonical_special,
                "wrong-special-page", h.hi.title);
}

// RC/WL: the changes list, the empty notice, or the timeout notice.
Rule RuleChangesList(const Html& h) {
  if (!h.rc_or_wl) return std::nullopt;
  if (h.f.list == ListMarker::kChangesTimeout)
    return h.Make(Verdict::kBroken, "the changes query timed out (mw-changeslist-timeout)" + h.warn_note,
                  "changes-timeout", h.heading);
  if (h.f.list == ListMarker::kNone)
    return h.Make(Verdict::kBroken,
                  "no changes list and no mw-changeslist-empty notice" +
                      std::string(h.f.body_capped ? " in the first 2 MiB" : "") + h.warn_note,
                  "no-changes-list", h.heading);
  return std::nullopt;
}

// RC/WL: every expected structured-filter group (ORES's damaging/goodfaith
// vanish silently when ORES breaks).
Rule RuleFilterGroups(const Html& h) {
  if (!h.rc_or_wl || h.groups_ok) return std::nullopt;
  std::vector<std::string> missing;
  for (const std::string& g : h.exp.expect_filter_groups)
    if (std::find(h.hi.filter_groups.begin(), h.hi.filter_groups.end(), g) == h.hi.filter_groups.end())
      missing.push_back(g);
  if (missing.empty()) return std::nullopt;
  std::string names;
  for (const std::string& g : missing) names += (names.empty() ? "" : ", ") + g;
  std::string present;
  for (const std::string& g : h.hi.filter_groups) present += (present.empty() ? "" : ", ") + g;
  return h.Make(Verdict::kBroken,
                "filter groups missing from wgStructuredChangeFilters: " + names +
                    (h.hi.has_filter_groups ? "" : " (no wgStructuredChangeFilters on the page)") + h.warn_note,
                "missing-filter-groups: " + names, "present groups: " + present);
}

// Contributions: the pager list or the empty-result paragraph.
Rule RuleContributionsList(const Html& h) {
  if (h.exp.kind != PageKind::kContributions) return std::nullopt;
  if (h.f.list != ListMarker::kNone || h.bf.paragraph_after_form) return std::nullopt;
  return h.Make(Verdict::kBroken, "no contributions list and no empty-result notice" + h.warn_note,
                "no-contributions-list", h.heading);
}

// Contributions on a wiki that runs ORES: ORES's own "hide good edits"
// checkbox (hidenondamaging) must be in the form. When ORES fails silently it
// registers nothing: the page renders, the list is there, ORES is gone.
Rule RuleOresContributionsControls(const Html& h) {
  if (h.exp.kind != PageKind::kContributions || !h.exp.expect_ores || h.f.ores_hide_nondamaging) return std::nullopt;
  return h.Make(Verdict::kBroken,
                "ORES filter missing on Contributions: no hidenondamaging control on a wiki that runs ORES" +
                    h.warn_note,
                "ORES filter missing on Contributions", h.heading);
}

// Contributions that asked ORES to hide good edits (hidenondamaging=1) on a
// wiki that runs ORES: every row listed passed ORES's own filter, so ORES
// scored each, and its SpecialContributions::formatRow::flags hook puts the
// rows' scores into the page (RLCONF "oresData"; the "r" flag and the
// `damaging` row class where the user highlights). Rows without them: ORES
// kept its checkbox but ignored the filter (no threshold reached the pager,
// as when the threshold lookup answers null), the other silent failure.
Rule RuleOresContributionsRows(const Html& h) {
  if (h.exp.kind != PageKind::kContributions || !h.exp.expect_ores_rows || h.f.list != ListMarker::kContributionsList ||
      h.f.head.find("\"oresData\":") != std::string_view::npos)
    return std::nullopt;
  return h.Make(Verdict::kBroken,
                "ORES flags missing on Contributions rows: hidenondamaging=1 listed rows without ORES's scores "
                "(no oresData): the filter was ignored" +
                    h.warn_note,
                "ORES flags missing on Contributions rows", h.heading);
}

// A good page with PHP warnings/notices/deprecations printed into it.
Rule RulePhpWarning(const Html& h) {
  const auto& warn = h.f.php->first_warning();
  if (!warn) return std::nullopt;
  Evidence e;
  e.exception_class = "PHP " + warn->label;
  e.message = warn->message;
  return h.Make(Verdict::kWarning,
                "PHP " + warn->label + " printed into the page (" + std::to_string(h.f.php->count()) + " in all)",
                PhpSignature(*warn), warn->label + ": " + warn->message, std::move(e));
}

// --- API rules --------------------------------------------------------------

struct Api {
  const PageFacts& f;
  const Expectations& exp;
  nlohmann::json doc;  // discarded when not JSON or capped
  std::string code;    // MediaWiki-API-Error header, else error.code / errors[0].code
  std::string errclass;
  std::string info;
  std::string st;

  Classification Make(Verdict v, std::string detail, std::string signature, std::string excerpt,
                      Evidence e = {}) const {
    Classification c;
    c.verdict = v;
    c.evidence = std::move(e);
    c.evidence.detail = std::move(detail);
    c.evidence.signature = std::move(signature);
    c.evidence.excerpt = std::move(excerpt);
    AddCommonEvidence(f, c, nullptr);
    return c;
  }
};

// Codes that mean "this request was not made as the logged-in user it needed".
bool IsAuthCode(std::string_view code) {
  for (std::string_view c : {"notloggedin", "assertuserfailed", "assertnameduserfailed", "assertbotfailed",
                             "readapidenied", "mustbeloggedin", "login-required"})
    if (code == c) return true;
  return false;
}

// notloggedin, assertuserfailed, readapidenied, …: the session is gone.
Rule RuleApiAuth(const Api& a) {
  if (!IsAuthCode(a.code)) return std::nullopt;
  Evidence e;
  e.message = a.info;
  return a.Make(Verdict::kAuth, "HTTP " + a.st + ", API error " + a.code + " (not logged in as expected)",
                "api-auth: " + a.code, a.code + ": " + a.info, std::move(e));
}

// internal_api_error_CLASS: an exception inside api.php.
Rule RuleApiInternalError(const Api& a) {
  if (!a.code.starts_with("internal_api_error_")) return std::nullopt;
  Evidence e;
  e.exception_class = a.errclass.empty() ? a.code.substr(19) : a.errclass;
  if (auto lead = LeadingRequestId(a.info)) e.request_id = lead->first;
  // info is "Caught exception of type X": the class says it all.
  const bool db = IsDbClass(e.exception_class);
  std::string sig = NormalizeSignature(e.exception_class, "");
  return a.Make(db ? Verdict::kDbError : Verdict::kException, "HTTP " + a.st + ", API error " + a.code, std::move(sig),
                a.code + ": " + a.info, std::move(e));
}

// Any other API error code.
Rule RuleApiError(const Api& a) {
  if (a.code.empty()) return std::nullopt;
  Evidence e;
  e.message = a.info;
  return a.Make(Verdict::kBroken, "HTTP " + a.st + ", API error " + a.code, "api-error: " + a.code,
                a.code + ": " + a.info, std::move(e));
}

Rule RuleApiPhpFatal(const Api& a) {
  const auto& fatal = a.f.php->first_fatal();
  if (!fatal) return std::nullopt;
  Evidence e;
  e.exception_class = "PHP " + fatal->label;
  e.message = fatal->message;
  return a.Make(Verdict::kFatal, "HTTP " + a.st + ", PHP " + fatal->label + " in the API response",
                PhpSignature(*fatal), fatal->label + ": " + fatal->message, std::move(e));
}

Rule RuleApiServerError(const Api& a) {
  if (a.f.status < 500 || a.f.status >= 600) return std::nullopt;
  if (a.f.bytes == 0)
    return a.Make(Verdict::kFatal, "HTTP " + a.st + " with an empty body", "http-" + a.st + "-empty", "");
  const bool edge = a.f.status == 502 || a.f.status == 503 || a.f.status == 504;
  return a.Make(edge ? Verdict::kEdgeError : Verdict::kFatal, "HTTP " + a.st + " from the API", "http-" + a.st,
                std::string(a.f.prefix));
}

Rule RuleApiTooLarge(const Api& a) {
  if (!a.f.api_capped) return std::nullopt;
  return a.Make(Verdict::kBroken, "API response larger than 8 MiB, not validated", "api-too-large",
                std::string(a.f.prefix));
}

Rule RuleApiNotJson(const Api& a) {
  if (!a.doc.is_discarded()) return std::nullopt;
  const auto& w = a.f.php->first_warning();
  return a.Make(Verdict::kBroken,
                "HTTP " + a.st + ", API response is not JSON" + (w ? " (a PHP " + w->label + " was printed into it)" : ""),
                w ? PhpSignature(*w) : "api-not-json", std::string(a.f.prefix));
}

Rule RuleApiClientError(const Api& a) {
  if (a.f.status < 400) return std::nullopt;
  return a.Make(Verdict::kBroken, "HTTP " + a.st + " from the API", "http-" + a.st, std::string(a.f.prefix));
}

// Every string under `warnings` (formatversion 1 "*", 2 "warnings", or
// errorformat's [{code, text|html}]), with its code when there is one.
void CollectWarnings(const nlohmann::json& j, const std::string& code, std::vector<std::pair<std::string, std::string>>& out) {
  if (out.size() > 64) return;
  if (j.is_string()) {
    out.emplace_back(code, j.get<std::string>());
  } else if (j.is_object()) {
    std::string c = code;
    if (auto it = j.find("code"); it != j.end() && it->is_string()) c = it->get<std::string>();
    for (const auto& [k, v] : j.items())
      if (k != "code" && k != "module") CollectWarnings(v, c, out);
  } else if (j.is_array()) {
    for (const auto& v : j) CollectWarnings(v, code, out);
  }
}

// On a wiki that runs ORES, api.php calling an ORES parameter value
// (oresscores, oresreview) unrecognized is the API side of the silent ORES
// failure: the answer is 200 and well-formed, with ORES gone from it.
Rule RuleApiOresUnrecognized(const Api& a) {
  if (!a.exp.expect_ores || !a.doc.is_object()) return std::nullopt;
  auto w = a.doc.find("warnings");
  if (w == a.doc.end()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> texts;
  CollectWarnings(*w, "", texts);
  for (const auto& [code, text] : texts) {
    const bool unrecognized = code == "unrecognizedvalues" || code == "unrecognizedparams" ||
                              text.find("nrecognized value") != std::string::npos ||
                              text.find("nrecognized parameter") != std::string::npos;
    if (!unrecognized || text.find("ores") == std::string::npos) continue;
    Evidence e;
    e.message = text;
    return a.Make(Verdict::kBroken, "HTTP " + a.st + ", ORES parameters unrecognized by api.php on a wiki that runs ORES",
                  "ORES API parameters unrecognized", text, std::move(e));
  }
  return std::nullopt;
}

Api ReadApi(const PageFacts& f) {
  Api a{f, *f.exp, nlohmann::json(nlohmann::json::value_t::discarded), std::string(f.header_api_error), {}, {},
        std::to_string(f.status)};
  if (!f.api_capped) a.doc = nlohmann::json::parse(f.api, nullptr, /*allow_exceptions=*/false);
  if (!a.doc.is_object()) return a;
  const nlohmann::json* err = nullptr;
  if (auto it = a.doc.find("error"); it != a.doc.end() && it->is_object()) err = &*it;
  else if (auto es = a.doc.find("errors"); es != a.doc.end() && es->is_array() && !es->empty() && (*es)[0].is_object())
    err = &(*es)[0];
  if (!err) return a;
  if (auto x = err->find("code"); x != err->end() && x->is_string() && a.code.empty()) a.code = x->get<std::string>();
  if (auto x = err->find("errorclass"); x != err->end() && x->is_string()) a.errclass = x->get<std::string>();
  // errorformat=plaintext|html|wikitext: errors[0].data.errorclass.
  if (auto d = err->find("data"); a.errclass.empty() && d != err->end() && d->is_object())
    if (auto x = d->find("errorclass"); x != d->end() && x->is_string()) a.errclass = x->get<std::string>();
  for (const char* k : {"info", "text", "html", "*"}) {
    if (auto x = err->find(k); x != err->end() && x->is_string()) {
      a.info = x->get<std::string>();
      break;
    }
  }
  return a;
}

template <typename View>
Rule First(const View& v, std::initializer_list<Rule (*)(const View&)> rules) {
  for (auto rule : rules)
    if (Rule r = rule(v)) return r;
  return std::nullopt;
}

}  // namespace

std::string_view ListMarkerName(ListMarker m) {
  switch (m) {
    case ListMarker::kNone: return "none";
    case ListMarker::kChangesList: return "mw-changeslist";
    case ListMarker::kChangesEmpty: return "mw-changeslist-empty";
    case ListMarker::kChangesTimeout: return "mw-changeslist-timeout";
    case ListMarker::kContributionsList: return "mw-pager-body";
  }
  return "none";
}

Classification DecideHtml(const PageFacts& f) {
  const Expectations& exp = *f.exp;
  const bool rc_or_wl = exp.kind == PageKind::kRecentChanges || exp.kind == PageKind::kWatchlist;
  const bool check_groups = rc_or_wl && !exp.expect_filter_groups.empty();
  // Group names are parsed out of RLCONF only when the fast byte check fails.
  const bool groups_ok = !check_groups || HasAllFilterGroups(f.head, exp.expect_filter_groups);
  static const BodyFacts kNoBody;
  const BodyFacts& bf = f.body ? *f.body : kNoBody;
  HeadInfo hi = AnalyzeHead(f.head, !groups_ok);
  // libxml2 may not have run (healthy-looking prefix): fall back to <title>.
  std::string heading = bf.first_heading.empty() ? hi.title : bf.first_heading;
  const auto& warn = f.php->first_warning();
  const Html h{f,
               exp,
               std::move(hi),
               bf,
               rc_or_wl,
               groups_ok,
               f.status >= 500 && f.status < 600,
               std::to_string(f.status),
               std::move(heading),
               warn ? " (also a PHP " + warn->label + ")" : ""};
  if (Rule r = First<Html>(h, {RuleRedirect, RuleExceptionBox, RulePhpFatal, RuleEmptyBody, RuleEdgeError,
                               RuleRawException, RuleExceptionInHandler, RuleOutagePage, RuleNotMediaWiki,
                               RuleServerErrorPage, RuleLoginPage, RuleErrorBox, RuleExpectedUser, RuleTruncated,
                               RuleClientError, RuleWrongSpecialPage, RuleChangesList, RuleFilterGroups,
                               RuleContributionsList, RuleOresContributionsControls, RuleOresContributionsRows,
                               RulePhpWarning}))
    return *r;
  Classification c;
  c.evidence.detail = "HTTP " + h.st + ", " + std::string(ListMarkerName(f.list));
  return c;
}

Classification DecideApi(const PageFacts& f) {
  const Api a = ReadApi(f);
  if (Rule r = First<Api>(a, {RuleApiAuth, RuleApiInternalError, RuleApiError, RuleApiPhpFatal, RuleApiServerError,
                              RuleApiTooLarge, RuleApiNotJson, RuleApiClientError, RuleApiOresUnrecognized}))
    return *r;
  Classification c;
  c.evidence.detail = "HTTP " + a.st + ", API JSON without error";
  return c;
}

namespace {

// MediaWikiTitleCodec::splitTitleString's clean-up, which every user name
// passes (User::getCanonicalName): bidi marks and overrides dropped, every run
// of '_' and Unicode spaces one space, none at either end.
bool IsTitleSpace(char32_t c) {
  return c == U' ' || c == U'_' || c == 0xA0 || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
bool IsBidiMark(char32_t c) { return c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E); }

}  // namespace

std::string NormalizeUserName(std::string_view name) {
  const std::string valid = RepairUtf8(name);
  std::string out;
  bool space = false;  // a space run is pending (written only before the next character)
  for (std::string_view rest = valid; !rest.empty();) {
    const Utf8Char ch = DecodeUtf8(rest);
    rest.remove_prefix(ch.len);
    if (IsBidiMark(ch.cp)) continue;
    if (IsTitleSpace(ch.cp)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    AppendUtf8(out, ch.cp);
  }
  if (out.empty()) return out;
  const Utf8Char first = DecodeUtf8(out);
  // Unicode's simple upper-case mapping from glibc's C.UTF-8 locale (always
  // present, independent of the user's locale); ASCII when it is missing.
  static const locale_t kUtf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  char32_t upper = first.cp;
  if (kUtf8) upper = static_cast<char32_t>(towupper_l(static_cast<wint_t>(first.cp), kUtf8));
  else if (first.cp < 0x80) upper = static_cast<char32_t>(std::toupper(static_cast<int>(first.cp)));
  std::string head;
  AppendUtf8(head, upper);
  return head + out.substr(first.len);
}

}  // namespace bc
