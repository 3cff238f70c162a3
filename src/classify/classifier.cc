// Minimal HTTP-level classifier: the status line decides. The MediaWiki-aware
// streaming classifier (issue 4) replaces the body of this file.
#include "classify/classifier.h"

namespace bc {

struct PageClassifier::Impl {
  Expectations expectations;
  long status = 0;
  int64_t bytes = 0;
};

PageClassifier::PageClassifier(Expectations expectations)
    : impl_(std::make_unique<Impl>(Impl{std::move(expectations)})) {}
PageClassifier::~PageClassifier() = default;
PageClassifier::PageClassifier(PageClassifier&&) noexcept = default;
PageClassifier& PageClassifier::operator=(PageClassifier&&) noexcept = default;

void PageClassifier::SetStatus(long http_status) { impl_->status = http_status; }
void PageClassifier::AddHeader(std::string_view, std::string_view) {}
void PageClassifier::SetFinalUrl(std::string_view) {}
void PageClassifier::Feed(std::string_view chunk) { impl_->bytes += static_cast<int64_t>(chunk.size()); }

Classification PageClassifier::Finish() {
  Classification c;
  const long s = impl_->status;
  if (s >= 200 && s < 300) return c;
  if (s == 502 || s == 503 || s == 504) c.verdict = Verdict::kEdgeError;
  else if (s >= 500) c.verdict = impl_->bytes == 0 ? Verdict::kFatal : Verdict::kException;
  else c.verdict = Verdict::kBroken;
  c.evidence.detail = "HTTP " + std::to_string(s);
  c.evidence.signature = "http-" + std::to_string(s);
  return c;
}

}  // namespace bc
