// The streaming MediaWiki-aware classifier. Which bytes get which treatment,
// and why no verdict is lost, is in README.md next to this file.
#include "classify/classifier.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>

#include "classify/body_parser.h"
#include "classify/find.h"
#include "classify/head_info.h"
#include "classify/php_markers.h"
#include "classify/signature.h"

namespace bc {
namespace {

constexpr size_t kPrefixKeep = 1024;  // first body bytes, for "what is this" and excerpts
constexpr size_t kTailKeep = 64;     // last body bytes, for the </html> check
constexpr size_t kHold = 64;         // list-marker carry-over between chunks
constexpr size_t kLazyCap = 256 << 10;  // body-prefix bytes kept unparsed before libxml2 must start

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// "[0f3a9c...] rest" -> ("0f3a9c...", "rest"); nullopt when s does not start so.
std::optional<std::pair<std::string, std::string_view>> LeadingRequestId(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s[0] != '[') return std::nullopt;
  const size_t close = s.find(']');
  if (close == std::string_view::npos || close < 5 || close > 64) return std::nullopt;
  const std::string_view id = s.substr(1, close - 1);
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return std::nullopt;
  return std::make_pair(std::string(id), Trim(s.substr(close + 1)));
}

bool IsDbClass(std::string_view cls) {
  return cls.find("Rdbms\\") != std::string_view::npos || cls.find("DBQueryError") != std::string_view::npos ||
         cls.find("DBConnectionError") != std::string_view::npos || cls.find("DBError") != std::string_view::npos ||
         cls.find("DBUnexpectedError") != std::string_view::npos;
}

// The class named in a localized "Fatal exception of type $1" line: the last
// PHP-class-like token (namespaced, or ending in Exception/Error). The wording
// around it is translated; the class name never is.
std::string ClassFromLocalizedLine(std::string_view line) {
  std::string best;
  size_t i = 0;
  while (i < line.size()) {
    const auto ident = [&](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\\';
    };
    if (!ident(line[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < line.size() && ident(line[j])) ++j;
    const std::string_view tok = line.substr(i, j - i);
    const bool has_upper = std::any_of(tok.begin(), tok.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
    const bool suffix = (tok.size() > 9 && tok.ends_with("Exception")) || (tok.size() > 5 && tok.ends_with("Error"));
    const bool ns = tok.find('\\') != std::string_view::npos && has_upper;
    if (has_upper && (suffix || ns) && !std::isdigit(static_cast<unsigned char>(tok[0]))) best = tok;
    i = j;
  }
  return best;
}

struct ExceptionText {
  std::string request_id;
  std::string cls;
  std::string message;
  bool parsed = false;  // recognised MediaWiki's "[id] ..." exception format
};

// MediaWiki's two exception renderings (MWExceptionRenderer::getHTML):
//   details off: "[ID] 2026-11-27 01:12:53: <localized 'Fatal exception of type "CLASS"'>"
//   details on:  "[ID] URL   CLASS: MESSAGE\nBacktrace:\n#0 ..."
ExceptionText ParseExceptionText(std::string_view text) {
  ExceptionText out;
  const auto lead = LeadingRequestId(text);
  if (!lead) {
    out.cls = ClassFromLocalizedLine(text.substr(0, 400));
    return out;
  }
  out.parsed = true;
  out.request_id = lead->first;
  std::string_view rest = lead->second;
  const size_t bt = rest.find("Backtrace:");
  const size_t sep = rest.find("   ");
  if (sep != std::string_view::npos && (bt == std::string_view::npos || sep < bt)) {
    std::string_view body = rest.substr(sep + 3, bt == std::string_view::npos ? std::string_view::npos : bt - sep - 3);
    const size_t colon = body.find(": ");
    if (colon != std::string_view::npos && colon < 200) {
      out.cls = std::string(Trim(body.substr(0, colon)));
      std::string msg(Trim(body.substr(colon + 2)));
      // DBQueryError carries two paragraphs of boilerplate before the real error.
      if (msg.starts_with("A database query error has occurred")) {
        const size_t info = msg.find("for more information.");
        if (info != std::string::npos) msg = std::string(Trim(std::string_view(msg).substr(info + 21)));
      }
      out.message = std::move(msg);
      return out;
    }
  }
  const size_t nl = rest.find('\n');
  out.cls = ClassFromLocalizedLine(rest.substr(0, std::min<size_t>(nl, 400)));
  return out;
}

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

// Special:UserLogin by canonical name, or a login redirect's returnto= (the
// localized Special page name differs per wiki, the parameter does not).
bool IsLoginUrl(std::string_view url) {
  const std::string title = Lower(TitleParam(url));
  return title.find("special:userlogin") != std::string::npos || title.find("special%3auserlogin") != std::string::npos ||
         Lower(url).find("/special:userlogin") != std::string::npos || url.find("returnto=") != std::string_view::npos;
}

std::string NormalizeUserName(std::string_view name) {
  std::string out(Trim(name));
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
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

enum class ListMarker { kNone, kChangesList, kChangesEmpty, kChangesTimeout, kContributionsList };

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

}  // namespace

struct PageClassifier::Impl {
  Expectations exp;
  long status = 0;
  std::string header_request_id;
  std::string header_api_error;
  std::string location;
  std::string final_url;

  int64_t bytes = 0;
  std::string prefix;
  std::string tail;
  PhpMarkerScanner php;

  enum class Region { kHead, kBody, kRest };
  Region region = Region::kHead;
  std::string head;  // everything before "<body" (capped)
  bool head_capped = false;
  bool body_seen = false;
  std::unique_ptr<BodyParser> parser;  // created on demand (ActivateParser)
  std::string unparsed;                // body-prefix bytes not (yet) given to libxml2
  std::string hold;        // body bytes held back until we know no list marker straddles them
  size_t body_parsed = 0;  // body bytes given to libxml2
  bool body_capped = false;
  ListMarker list = ListMarker::kNone;

  std::string api;  // kind api: the JSON body (capped)
  bool api_capped = false;
  size_t peak = 0;
  bool finished = false;

  bool IsHtmlKind() const { return exp.kind != PageKind::kApi; }
  long status_code() const { return status; }
  size_t Retained() const {
    return prefix.capacity() + tail.capacity() + head.capacity() + hold.capacity() + unparsed.capacity() + api.capacity() +
           php.RetainedBytes();
  }

  void Feed(std::string_view chunk);
  void FeedHead(std::string_view chunk);
  void FeedBody(std::string_view chunk, bool final);
  void EndBody(bool need_structure);
  void GiveToParser(std::string_view data);
  void ActivateParser();
  Classification Decide();
  Classification DecideHtml();
  Classification DecideApi();
  void AddCommonEvidence(Classification& c, const HeadInfo* head_info) const;
};

void PageClassifier::Impl::Feed(std::string_view chunk) {
  bytes += static_cast<int64_t>(chunk.size());
  if (prefix.size() < kPrefixKeep) prefix.append(chunk.substr(0, kPrefixKeep - prefix.size()));
  tail.append(chunk.substr(chunk.size() > kTailKeep ? chunk.size() - kTailKeep : 0));
  if (tail.size() > 4 * kTailKeep) tail.erase(0, tail.size() - kTailKeep);
  php.Feed(chunk);
  if (!IsHtmlKind()) {
    if (api.size() < kApiCap) api.append(chunk.substr(0, kApiCap - api.size()));
    if (api.size() >= kApiCap && chunk.size() > 0 && static_cast<size_t>(bytes) > kApiCap) api_capped = true;
    return;
  }
  switch (region) {
    case Region::kHead: FeedHead(chunk); break;
    case Region::kBody: FeedBody(chunk, false); break;
    case Region::kRest: break;
  }
}

// Head bytes are only stored (bounded); AnalyzeHead reads them once at Finish.
void PageClassifier::Impl::FeedHead(std::string_view chunk) {
  const size_t old = head.size();
  const size_t take = std::min(chunk.size(), kHeadCap - old);
  head.append(chunk.substr(0, take));
  const size_t at = FastFind(head, "<body", old >= 4 ? old - 4 : 0);
  if (at != std::string::npos) {
    body_seen = true;
    std::string body = head.substr(at);
    head.resize(at);
    region = Region::kBody;
    FeedBody(body, false);
    if (take < chunk.size()) FeedBody(chunk.substr(take), false);
    return;
  }
  if (head.size() >= kHeadCap) {
    head_capped = true;
    region = Region::kRest;
  }
}

// Body bytes go to libxml2 until the list starts; the list itself (the bulk
// of a RecentChanges page) is only byte-scanned (PHP markers, tail).
void PageClassifier::Impl::FeedBody(std::string_view chunk, bool final) {
  hold.append(chunk);
  const bool contribs = exp.kind == PageKind::kContributions;
  size_t cut = std::string::npos;
  size_t pending = std::string::npos;  // a candidate whose class attribute is still arriving
  size_t scan = 0;
  for (;;) {
    const size_t at = contribs ? std::min(FastFind(hold, "mw-pager-body", scan), FastFind(hold, "mw-contributions-list", scan))
                               : FastFind(hold, "<div class=\"mw-changeslist", scan);
    if (at == std::string::npos) break;
    if (contribs) {
      // Must be a class attribute value, not text mentioning the name.
      if (at >= 7 && (hold.compare(at - 7, 7, "class='") == 0 || hold.compare(at - 7, 7, "class=\"") == 0)) {
        list = ListMarker::kContributionsList;
        cut = hold.rfind('<', at);
        if (cut == std::string::npos) cut = 0;
        break;
      }
      scan = at + 1;
      continue;
    }
    const size_t after = at + 26;  // strlen("<div class=\"mw-changeslist")
    if (!final && hold.size() < after + 30) {
      pending = at;
      break;
    }
    const std::string_view rest = std::string_view(hold).substr(after, 30);
    if (rest.starts_with("\"") || rest.starts_with(" ")) list = ListMarker::kChangesList;
    else if (rest.starts_with("-empty mw-changeslist-timeout")) list = ListMarker::kChangesTimeout;
    else if (rest.starts_with("-empty")) list = ListMarker::kChangesEmpty;
    if (list != ListMarker::kNone) {
      cut = at;
      break;
    }
    scan = at + 1;
  }
  if (cut != std::string::npos) {
    GiveToParser(std::string_view(hold).substr(0, cut));
    body_parsed += cut;
    EndBody(false);
    return;
  }
  // Bytes before the last kHold (or before a pending candidate) can no longer
  // start a marker: give them to libxml2. kHold exceeds the longest marker.
  size_t keep = final ? 0 : std::min(hold.size(), kHold);
  if (!final && pending != std::string::npos) keep = std::max(keep, hold.size() - pending);
  const size_t give = hold.size() - keep;
  if (give > 0) {
    GiveToParser(std::string_view(hold).substr(0, give));
    body_parsed += give;
    hold.erase(0, give);
  }
  if (body_parsed >= kBodyParseCap) {
    body_capped = true;
    EndBody(true);
  }
}

// libxml2 costs ~60 MB/s, 15x the rest of the classifier, and a healthy page
// needs nothing from it: the list marker and the absence of any error-box
// class are byte facts. So the body prefix is parsed only when it might hold
// an error box (one of the box classes occurs in it), when the list never
// came (a Contributions "nocontribs" page, an unknown page), or when the
// prefix outgrows kLazyCap. The parser always receives the same bytes from
// the first body byte on, so the chunking cannot change what it reports.
void PageClassifier::Impl::GiveToParser(std::string_view data) {
  if (parser) {
    parser->Feed(data);
    return;
  }
  const size_t old = unparsed.size();
  unparsed.append(data);
  const size_t from = old > 24 ? old - 24 : 0;  // a class name may straddle two gifts
  for (std::string_view token : {"mw-message-box-error", "errorbox", "cdx-message--error"}) {
    if (FastFind(unparsed, token, from) != std::string::npos) {
      ActivateParser();
      return;
    }
  }
  if (unparsed.size() > kLazyCap) ActivateParser();
}

void PageClassifier::Impl::ActivateParser() {
  if (parser) return;
  parser = std::make_unique<BodyParser>();
  parser->Feed(unparsed);
  std::string().swap(unparsed);
}

void PageClassifier::Impl::EndBody(bool need_structure) {
  if (need_structure) ActivateParser();
  if (parser) parser->Finish();
  std::string().swap(unparsed);
  std::string().swap(hold);
  region = Region::kRest;
}

void PageClassifier::Impl::AddCommonEvidence(Classification& c, const HeadInfo* head_info) const {
  Evidence& e = c.evidence;
  if (e.request_id.empty() && head_info) e.request_id = head_info->request_id;
  if (e.request_id.empty()) e.request_id = header_request_id;
  e.request_id = SafeExcerpt(e.request_id, 100);
  e.exception_class = SafeExcerpt(e.exception_class, 200);
  e.message = SafeExcerpt(e.message, 1000);
  e.excerpt = SafeExcerpt(e.excerpt, 300);
  e.detail = SafeExcerpt(e.detail, 300);
  if (e.signature.empty()) e.signature = NormalizeSignature(e.exception_class, e.message);
}

Classification PageClassifier::Impl::Decide() {
  php.Finish();
  if (IsHtmlKind() && region == Region::kBody) {
    FeedBody({}, true);
    if (region == Region::kBody) EndBody(true);  // no list: the structure must tell why
  }
  return IsHtmlKind() ? DecideHtml() : DecideApi();
}

Classification PageClassifier::Impl::DecideHtml() {
  const bool rc_or_wl = exp.kind == PageKind::kRecentChanges || exp.kind == PageKind::kWatchlist;
  const bool check_groups = rc_or_wl && !exp.expect_filter_groups.empty();
  // Group names are parsed out of RLCONF only when the fast byte check fails.
  const bool groups_ok = !check_groups || HasAllFilterGroups(head, exp.expect_filter_groups);
  const HeadInfo hi = AnalyzeHead(head, !groups_ok);
  const BodyFacts none;
  const BodyFacts& bf = parser ? parser->facts() : none;
  Classification c;
  Evidence& e = c.evidence;
  auto verdict = [&](Verdict v, std::string detail, std::string signature, std::string excerpt) {
    c.verdict = v;
    e.detail = std::move(detail);
    e.signature = std::move(signature);
    e.excerpt = std::move(excerpt);
    AddCommonEvidence(c, &hi);
    return c;
  };
  const std::string st = std::to_string(status_code());
  const bool is5xx = status >= 500 && status < 600;
  const bool edge_status = status == 502 || status == 503 || status == 504;
  const auto& warn = php.first_warning();
  // libxml2 may not have run (healthy-looking prefix): fall back to <title>.
  const std::string heading = bf.first_heading.empty() ? hi.title : bf.first_heading;
  const std::string warn_note = warn ? " (also a PHP " + warn->label + ")" : "";

  // 1. Redirects the engine did not follow.
  if (status >= 300 && status < 400) {
    if (IsLoginUrl(location))
      return verdict(Verdict::kAuth, "HTTP " + st + " redirect to the login page", "login-redirect", location);
    return verdict(Verdict::kBroken, "HTTP " + st + " redirect not followed", "http-" + st, location);
  }

  // 2. MediaWiki's exception box (any status): the strongest evidence there is.
  if (bf.error_box) {
    const std::string box = std::string(Trim(bf.error_box_text));
    ExceptionText ex = ParseExceptionText(box);
    if (ex.parsed || is5xx) {
      e.exception_class = ex.cls;
      e.message = ex.message;
      e.request_id = ex.request_id;
      const bool db = IsDbClass(ex.cls) || box.find("A database query error has occurred") != std::string::npos;
      return verdict(db ? Verdict::kDbError : Verdict::kException,
                     "HTTP " + st + ", MediaWiki error box (" + bf.error_box_class + ")" + warn_note,
                     NormalizeSignature(ex.cls, ex.message), box);
    }
  }

  // 3. PHP died outside MediaWiki's handler.
  if (const auto& f = php.first_fatal()) {
    e.exception_class = "PHP " + f->label;
    e.message = f->message;
    return verdict(Verdict::kFatal, "HTTP " + st + ", PHP " + f->label + " printed into the page",
                   PhpSignature(*f), f->label + ": " + f->message);
  }

  // 4. Not a MediaWiki page at all.
  if (bytes == 0) {
    if (is5xx) return verdict(Verdict::kFatal, "HTTP " + st + " with an empty body", "http-" + st + "-empty", "");
    return verdict(Verdict::kBroken, "HTTP " + st + " with an empty body", "empty-body", "");
  }
  const std::string lower_title = Lower(hi.title);
  if (lower_title.find("wikimedia error") != std::string::npos ||
      (edge_status && !hi.has_rlconf && !bf.content_text)) {
    return verdict(Verdict::kEdgeError, "HTTP " + st + ", edge/proxy error page (title \"" + hi.title + "\")",
                   "edge-" + st, hi.title.empty() ? prefix : hi.title + ": " + prefix);
  }
  if (!hi.has_rlconf && !bf.content_text) {
    // MediaWiki's raw exception text (no skin: exception inside the handler, or API-less early failure).
    const std::string_view raw = head.empty() ? std::string_view(prefix) : std::string_view(head).substr(0, 4096);
    ExceptionText ex = ParseExceptionText(DecodeBasicEntities(raw));
    if (ex.parsed) {
      e.exception_class = ex.cls;
      e.message = ex.message;
      e.request_id = ex.request_id;
      return verdict(IsDbClass(ex.cls) ? Verdict::kDbError : Verdict::kException,
                     "HTTP " + st + ", MediaWiki's plain-text exception report", NormalizeSignature(ex.cls, ex.message),
                     std::string(raw));
    }
    // MWExceptionRenderer::reportOutageHTML, used for DBConnectionError only:
    // a skinless page with MediaWiki's fixed inline style and "<p><small>(info)".
    constexpr std::string_view kBareStyle =
        "<style>body { font-family: sans-serif; margin: 0; padding: 0.5em 2em; }</style>";
    if (FastFind(prefix, kBareStyle) != std::string::npos && FastFind(prefix, "<p><small>") != std::string::npos) {
      e.exception_class = "Wikimedia\\Rdbms\\DBConnectionError";
      const size_t body_at = FastFind(prefix, "<body>");
      return verdict(Verdict::kDbError, "HTTP " + st + ", MediaWiki's database outage page",
                     NormalizeSignature(e.exception_class, ""),
                     body_at == std::string::npos ? prefix : prefix.substr(body_at + 6));
    }
    if (is5xx)
      return verdict(Verdict::kFatal, "HTTP " + st + " without a MediaWiki error page", "http-" + st, prefix);
    const std::string_view first = Trim(prefix);
    std::string what = "not a MediaWiki HTML page";
    if (!first.empty() && (first[0] == '{' || first[0] == '[')) what = "JSON where an HTML page was expected";
    else if (Lower(prefix).find("<html") == std::string::npos) what = "not HTML";
    return verdict(Verdict::kBroken, "HTTP " + st + ", " + what + warn_note, "not-mediawiki-html", prefix);
  }

  // 5. Server errors rendered by MediaWiki without an exception box.
  if (is5xx)
    return verdict(Verdict::kException, "HTTP " + st + " MediaWiki page without an exception box" + warn_note,
                   "http-" + st, heading);

  // 6. An error box that is not an exception (e.g. "too many requests", an invalid target).
  if (bf.error_box)
    return verdict(Verdict::kBroken, "HTTP " + st + ", error box instead of the page content" + warn_note,
                   NormalizeSignature("error-box", bf.error_box_text), bf.error_box_text);

  // 7. The logged-in view the target asked for.
  if (!exp.expect_user.empty()) {
    if (hi.canonical_special == "Userlogin" || IsLoginUrl(final_url))
      return verdict(Verdict::kAuth, "the login page was served instead of the " + std::string(PageKindName(exp.kind)) +
                                         " page", "login-page", hi.title);
    if (hi.user_present && hi.user_is_null)
      return verdict(Verdict::kAuth, "anonymous view (wgUserName is null), expected user " + exp.expect_user,
                     "anonymous-view", hi.title);
    if (hi.user_present && NormalizeUserName(hi.user_name) != NormalizeUserName(exp.expect_user))
      return verdict(Verdict::kAuth, "logged in as " + hi.user_name + ", expected " + exp.expect_user, "wrong-user",
                     hi.title);
  }

  // 8. Truncation: MediaWiki always ends a page with </html>.
  // The tail buffer's length depends on chunking; its last kTailKeep bytes do not.
  const std::string last = tail.substr(tail.size() > kTailKeep ? tail.size() - kTailKeep : 0);
  if (!Trim(last).ends_with("</html>"))
    return verdict(Verdict::kBroken, "HTTP " + st + ", page truncated (no </html> at the end)" + warn_note,
                   "truncated", last);
  if (status >= 400 && !(status == 404 && rc_or_wl && list == ListMarker::kChangesEmpty))
    return verdict(Verdict::kBroken, "HTTP " + st + " " + hi.title + warn_note, "http-" + st, heading);

  // 9. The page kind's own structure.
  const std::string_view want = ExpectedSpecialPage(exp.kind);
  if (!hi.canonical_special.empty() && hi.canonical_special != want)
    return verdict(Verdict::kBroken, "expected Special:" + std::string(want) + ", got Special:" + hi.canonical_special,
                   "wrong-special-page", hi.title);
  if (rc_or_wl) {
    if (list == ListMarker::kChangesTimeout)
      return verdict(Verdict::kBroken, "the changes query timed out (mw-changeslist-timeout)" + warn_note,
                     "changes-timeout", heading);
    if (list == ListMarker::kNone)
      return verdict(Verdict::kBroken,
                     "no changes list and no mw-changeslist-empty notice" + std::string(body_capped ? " in the first 2 MiB" : "") + warn_note,
                     "no-changes-list", heading);
    if (!groups_ok) {
      std::vector<std::string> missing;
      for (const std::string& g : exp.expect_filter_groups)
        if (std::find(hi.filter_groups.begin(), hi.filter_groups.end(), g) == hi.filter_groups.end()) missing.push_back(g);
      if (!missing.empty()) {
        std::string names;
        for (const std::string& g : missing) names += (names.empty() ? "" : ", ") + g;
        std::string present;
        for (const std::string& g : hi.filter_groups) present += (present.empty() ? "" : ", ") + g;
        return verdict(Verdict::kBroken,
                       "filter groups missing from wgStructuredChangeFilters: " + names +
                           (hi.has_filter_groups ? "" : " (no wgStructuredChangeFilters on the page)") + warn_note,
                       "missing-filter-groups: " + names, "present groups: " + present);
      }
    }
  } else if (exp.kind == PageKind::kContributions) {
    if (list == ListMarker::kNone && !bf.paragraph_after_form)
      return verdict(Verdict::kBroken, "no contributions list and no empty-result notice" + warn_note,
                     "no-contributions-list", heading);
  }

  // 10. A good page with PHP warnings printed into it.
  if (warn) {
    e.exception_class = "PHP " + warn->label;
    e.message = warn->message;
    return verdict(Verdict::kWarning,
                   "PHP " + warn->label + " printed into the page (" + std::to_string(php.count()) + " in all)",
                   PhpSignature(*warn), warn->label + ": " + warn->message);
  }
  c.evidence.detail = "HTTP " + st + ", " + std::string(ListMarkerName(list));
  return c;
}

Classification PageClassifier::Impl::DecideApi() {
  Classification c;
  Evidence& e = c.evidence;
  const std::string st = std::to_string(status_code());
  auto verdict = [&](Verdict v, std::string detail, std::string signature, std::string excerpt) {
    c.verdict = v;
    e.detail = std::move(detail);
    e.signature = std::move(signature);
    e.excerpt = std::move(excerpt);
    AddCommonEvidence(c, nullptr);
    return c;
  };
  std::string code = header_api_error;
  std::string errclass, info;
  nlohmann::json doc = api_capped ? nlohmann::json(nlohmann::json::value_t::discarded)
                                  : nlohmann::json::parse(api, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    const nlohmann::json* err = nullptr;
    if (auto it = doc.find("error"); it != doc.end() && it->is_object()) err = &*it;
    else if (auto es = doc.find("errors"); es != doc.end() && es->is_array() && !es->empty() && (*es)[0].is_object())
      err = &(*es)[0];
    if (err) {
      if (auto x = err->find("code"); x != err->end() && x->is_string() && code.empty()) code = x->get<std::string>();
      if (auto x = err->find("errorclass"); x != err->end() && x->is_string()) errclass = x->get<std::string>();
      for (const char* k : {"info", "text", "*"}) {
        if (auto x = err->find(k); x != err->end() && x->is_string()) {
          info = x->get<std::string>();
          break;
        }
      }
    }
  }
  if (!code.empty()) {
    if (code.starts_with("internal_api_error_")) {
      e.exception_class = errclass.empty() ? code.substr(19) : errclass;
      if (auto lead = LeadingRequestId(info)) e.request_id = lead->first;
      e.message = "";  // info is "Caught exception of type X": the class says it all
      return verdict(IsDbClass(e.exception_class) ? Verdict::kDbError : Verdict::kException,
                     "HTTP " + st + ", API error " + code, NormalizeSignature(e.exception_class, ""),
                     code + ": " + info);
    }
    e.message = info;
    return verdict(Verdict::kBroken, "HTTP " + st + ", API error " + code, "api-error: " + code, code + ": " + info);
  }
  if (const auto& f = php.first_fatal()) {
    e.exception_class = "PHP " + f->label;
    e.message = f->message;
    return verdict(Verdict::kFatal, "HTTP " + st + ", PHP " + f->label + " in the API response",
                   PhpSignature(*f), f->label + ": " + f->message);
  }
  if (status_code() >= 500 && status_code() < 600) {
    if (bytes == 0) return verdict(Verdict::kFatal, "HTTP " + st + " with an empty body", "http-" + st + "-empty", "");
    const bool edge = status_code() == 502 || status_code() == 503 || status_code() == 504;
    return verdict(edge ? Verdict::kEdgeError : Verdict::kFatal, "HTTP " + st + " from the API", "http-" + st, prefix);
  }
  if (api_capped)
    return verdict(Verdict::kBroken, "API response larger than 8 MiB, not validated", "api-too-large", prefix);
  if (doc.is_discarded()) {
    const auto& w = php.first_warning();
    return verdict(Verdict::kBroken,
                   "HTTP " + st + ", API response is not JSON" + (w ? " (a PHP " + w->label + " was printed into it)" : ""),
                   w ? PhpSignature(*w) : "api-not-json", prefix);
  }
  if (status_code() >= 400)
    return verdict(Verdict::kBroken, "HTTP " + st + " from the API", "http-" + st, prefix);
  c.evidence.detail = "HTTP " + st + ", API JSON without error";
  return c;
}

PageClassifier::PageClassifier(Expectations expectations) : impl_(std::make_unique<Impl>()) {
  impl_->exp = std::move(expectations);
}
PageClassifier::~PageClassifier() = default;
PageClassifier::PageClassifier(PageClassifier&&) noexcept = default;
PageClassifier& PageClassifier::operator=(PageClassifier&&) noexcept = default;

void PageClassifier::SetStatus(long http_status) { impl_->status = http_status; }

void PageClassifier::AddHeader(std::string_view name, std::string_view value) {
  const std::string n = Lower(Trim(name));
  value = Trim(value);
  if (n == "x-request-id") impl_->header_request_id = std::string(value.substr(0, 200));
  else if (n == "mediawiki-api-error") impl_->header_api_error = std::string(value.substr(0, 200));
  else if (n == "location") impl_->location = std::string(value.substr(0, 2000));
}

void PageClassifier::SetFinalUrl(std::string_view url) { impl_->final_url = std::string(url.substr(0, 2000)); }

void PageClassifier::Feed(std::string_view chunk) {
  if (impl_->finished) return;
  impl_->Feed(chunk);
  impl_->peak = std::max(impl_->peak, impl_->Retained());
}

Classification PageClassifier::Finish() {
  impl_->finished = true;
  try {
    return impl_->Decide();
  } catch (const std::exception& ex) {
    // A bug here must not take the crawl down: the page gets a verdict that
    // says the classifier failed, and the run goes on.
    Classification c;
    c.verdict = Verdict::kBroken;
    c.evidence.detail = SafeExcerpt(std::string("classifier internal error: ") + ex.what(), 300);
    c.evidence.signature = "classifier-internal-error";
    return c;
  }
}

size_t PageClassifier::PeakRetainedBytes() const { return impl_->peak; }

}  // namespace bc
