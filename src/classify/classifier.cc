// The streaming MediaWiki-aware classifier. Which bytes get which treatment,
// and why no verdict is lost, is in README.md next to this file.
#include "classify/classifier.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>

#include "classify/body_parser.h"
#include "classify/find.h"
#include "classify/head_info.h"
#include "classify/page_facts.h"
#include "classify/php_markers.h"
#include "classify/rules.h"
#include "classify/signature.h"
#include "core/text.h"

namespace bc {
namespace {

constexpr size_t kPrefixKeep = 1024;  // first body bytes, for "what is this" and excerpts
constexpr size_t kTailKeep = 64;     // last body bytes, for the </html> check
constexpr size_t kHold = 64;         // list-marker carry-over between chunks
constexpr size_t kLazyCap = 256 << 10;  // body-prefix bytes kept unparsed before libxml2 must start


// Contributions: ORES's "hide good edits" checkbox, as HTMLForm renders it.
bool HasHideNonDamagingControl(std::string_view bytes) {
  return FastFind(bytes, "name='hidenondamaging'") != std::string::npos ||
         FastFind(bytes, "name=\"hidenondamaging\"") != std::string::npos;
}

}  // namespace

// Bytes a string holds on the heap: its capacity, or 0 while it fits in the
// string itself (short-string buffer). What the memory budget is charged.
size_t HeapBytes(const std::string& s) {
  static const size_t kInline = std::string().capacity();
  return s.capacity() > kInline ? s.capacity() : 0;
}

struct PageClassifier::Impl {
  Expectations exp;
  long status = 0;
  std::string header_request_id;
  std::string header_x_cache;
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
  bool ores_hide_nondamaging = false;  // Contributions: the checkbox occurred before the list

  std::string api;  // kind api: the JSON body (capped)
  bool api_capped = false;
  size_t peak = 0;
  bool finished = false;

  MemoryBudget* budget = nullptr;  // shared by the run's classifiers; null = no budget
  size_t charged = 0;              // bytes of Retained() charged to it
  bool budget_cut = false;         // the budget refused a buffer's growth
  int64_t kept_at_cut = 0;         // body bytes seen before the first refused chunk

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (budget != nullptr) budget->Release(charged);
  }

  // Whether `buf` may grow by `add` bytes: always without a budget or when
  // its capacity suffices; else when the budget has room for the capacity
  // std::string will allocate (at least double). The caller decides what a
  // refusal costs (CutByBudget when bytes are not kept).
  bool MayGrow(const std::string& buf, size_t add) {
    if (budget == nullptr || buf.size() + add <= buf.capacity()) return true;
    const size_t growth = std::max(buf.size() + add, 2 * buf.capacity()) - HeapBytes(buf);
    if (budget->TryReserve(growth)) {
      charged += growth;
      return true;
    }
    return false;
  }
  void CutByBudget(int64_t kept) {
    if (!budget_cut) kept_at_cut = kept;
    budget_cut = true;
  }
  // The buffers that grow with the body (API JSON, <head>, the unparsed body
  // prefix): what the budget covers. The fixed windows (1 KiB prefix, tail,
  // the PHP-marker window, the list-marker carry: ~64 KiB at most together)
  // are bounded per classifier and not charged.
  size_t Growable() const { return HeapBytes(head) + HeapBytes(unparsed) + HeapBytes(api); }
  // Makes the budget's charge equal to what the growable buffers hold now.
  void SyncBudget() {
    if (budget == nullptr) return;
    const size_t now = Growable();
    if (now > charged) budget->Charge(now - charged);
    else budget->Release(charged - now);
    charged = now;
  }

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
};

void PageClassifier::Impl::Feed(std::string_view chunk) {
  const int64_t before = bytes;
  bytes += static_cast<int64_t>(chunk.size());
  if (prefix.size() < kPrefixKeep) prefix.append(chunk.substr(0, kPrefixKeep - prefix.size()));
  tail.append(chunk.substr(chunk.size() > kTailKeep ? chunk.size() - kTailKeep : 0));
  if (tail.size() > 4 * kTailKeep) tail.erase(0, tail.size() - kTailKeep);
  php.Feed(chunk);
  if (!IsHtmlKind()) {
    // JSON must be whole to be parsed: once the budget refuses, nothing more is kept.
    if (!api_capped && api.size() < kApiCap) {
      const std::string_view take = chunk.substr(0, kApiCap - api.size());
      if (MayGrow(api, take.size())) {
        api.append(take);
      } else {
        CutByBudget(before);
        api_capped = true;
      }
    }
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
  if (!MayGrow(head, take)) {  // over the memory budget: the head is what was kept
    CutByBudget(bytes - static_cast<int64_t>(chunk.size()));
    head_capped = true;
    region = Region::kRest;
    return;
  }
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
  size_t list_at = std::string::npos;  // where the list marker's name starts
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
        list_at = at;
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
      cut = list_at = at;
      break;
    }
    scan = at + 1;
  }
  // The checkbox counts only before the list marker: a token that is complete
  // in an earlier chunk necessarily ends before a marker still to come, so the
  // result does not depend on the chunking.
  if (contribs && !ores_hide_nondamaging)
    ores_hide_nondamaging = HasHideNonDamagingControl(cut != std::string::npos ? std::string_view(hold).substr(0, list_at)
                                                                           : std::string_view(hold));
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
  if (!MayGrow(unparsed, data.size())) {  // over the memory budget: parse now instead of keeping
    ActivateParser();
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

Classification PageClassifier::Impl::Decide() {
  php.Finish();
  if (IsHtmlKind() && region == Region::kBody) {
    FeedBody({}, true);
    if (region == Region::kBody) EndBody(true);  // no list: the structure must tell why
  }
  PageFacts f;
  f.exp = &exp;
  f.status = status;
  f.header_request_id = header_request_id;
  f.header_x_cache = header_x_cache;
  f.header_api_error = header_api_error;
  f.location = location;
  f.final_url = final_url;
  f.bytes = bytes;
  f.prefix = prefix;
  // The tail buffer's length depends on chunking; its last kTailKeep bytes do not.
  f.last = std::string_view(tail).substr(tail.size() > kTailKeep ? tail.size() - kTailKeep : 0);
  f.php = &php;
  f.head = head;
  f.body = parser ? &parser->facts() : nullptr;
  f.list = list;
  f.body_capped = body_capped;
  f.ores_hide_nondamaging = ores_hide_nondamaging;
  f.api = api;
  f.api_capped = api_capped;
  Classification c = IsHtmlKind() ? DecideHtml(f) : DecideApi(f);
  if (budget_cut) {
    const std::string note = "memory budget: classified from the first " + std::to_string(kept_at_cut) + " of " +
                             std::to_string(bytes) +
                             " body bytes (the pages in flight share one budget, [crawl] memory_budget_mb)";
    if (c.verdict == Verdict::kBroken) {
      // "Broken" here means a structure or JSON the cut kept from view: the
      // crawler could not judge the page, the wiki is not to blame.
      c.verdict = Verdict::kTransport;
      c.evidence.signature = "memory budget";
      c.evidence.exception_class.clear();
      c.evidence.message.clear();
      c.evidence.detail = note;
    } else {
      c.evidence.detail += (c.evidence.detail.empty() ? "" : "; ") + note;
    }
  }
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
  const std::string n = AsciiLower(TrimAsciiSpace(name));
  value = TrimAsciiSpace(value);
  if (n == "x-request-id") impl_->header_request_id = std::string(value.substr(0, 200));
  else if (n == "x-cache") impl_->header_x_cache = std::string(value.substr(0, 200));
  else if (n == "mediawiki-api-error") impl_->header_api_error = std::string(value.substr(0, 200));
  else if (n == "location") impl_->location = std::string(value.substr(0, 2000));
}

void PageClassifier::SetFinalUrl(std::string_view url) { impl_->final_url = std::string(url.substr(0, 2000)); }

void PageClassifier::SetMemoryBudget(MemoryBudget* budget) {
  impl_->budget = budget;
  impl_->SyncBudget();
}

void PageClassifier::Feed(std::string_view chunk) {
  if (impl_->finished) return;
  impl_->Feed(chunk);
  impl_->peak = std::max(impl_->peak, impl_->Retained());
  impl_->SyncBudget();
}

Classification PageClassifier::Finish() {
  impl_->finished = true;
  try {
    Classification c = impl_->Decide();
    impl_->SyncBudget();
    return c;
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
