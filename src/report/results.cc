#include "report/results.h"

#include <cassert>

namespace bc {
namespace {

// True when `o` is an ok outcome whose only text is the classifier's detail
// and whose numbers fit an Entry: nothing a report shows is lost by keeping
// just status, total time, retries and detail.
bool Plain(const Probe& probe, const Outcome& o) {
  const Evidence& ev = o.result.evidence;
  return o.result.verdict == Verdict::kOk && o.redirects == 0 && o.redirect_location.empty() &&
         o.transport_error.empty() && (o.final_url.empty() || o.final_url == probe.url) && ev.exception_class.empty() &&
         ev.message.empty() && ev.request_id.empty() && ev.signature.empty() && ev.excerpt.empty() &&
         o.http_status >= 0 && o.http_status <= UINT16_MAX && o.retries >= 0 && o.retries <= UINT8_MAX;
}

}  // namespace

void ResultList::Add(const Probe& probe, const Outcome& outcome) {
  assert(pairs_ == nullptr);
  Entry e;
  e.probe = &probe;
  if (Plain(probe, outcome)) {
    const std::string& detail = outcome.result.evidence.detail;
    auto it = detail_index_.find(detail);
    if (it == detail_index_.end() && details_.size() <= UINT16_MAX) {
      it = detail_index_.emplace(detail, static_cast<uint16_t>(details_.size())).first;
      details_.push_back(detail);
    }
    if (it != detail_index_.end()) {
      e.detail = it->second;
      e.status = static_cast<uint16_t>(outcome.http_status);
      e.total_seconds = static_cast<float>(outcome.timings.total);
      e.retries = static_cast<uint8_t>(outcome.retries);
      entries_.push_back(e);
      return;
    }
  }
  e.whole = static_cast<uint32_t>(whole_.size());
  whole_.push_back(outcome);
  entries_.push_back(e);
}

ResultRef ResultList::operator[](size_t i) const {
  if (pairs_) return ResultRef((*pairs_)[i].probe, (*pairs_)[i].outcome);
  const Entry& e = entries_[i];
  if (e.whole != kPlain) return ResultRef(*e.probe, whole_[e.whole]);
  Outcome o;
  o.result.verdict = Verdict::kOk;
  o.result.evidence.detail = details_[e.detail];
  o.http_status = e.status;
  o.timings.total = e.total_seconds;
  o.retries = e.retries;
  o.final_url = e.probe->url;
  return ResultRef(*e.probe, std::move(o));
}

}  // namespace bc
