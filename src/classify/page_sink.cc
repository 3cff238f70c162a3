#include "classify/page_sink.h"

#include <exception>
#include <memory>
#include <utility>

namespace bc {
namespace {

PageClassifier NewClassifier(const Expectations& e, long status, const Headers& headers) {
  PageClassifier c(e);
  c.SetStatus(status);
  for (const auto& [name, value] : headers) c.AddHeader(name, value);
  return c;
}

class ClassifierSink : public BodySink {
 public:
  explicit ClassifierSink(PageClassifier c) : classifier_(std::move(c)) {}
  void Feed(std::string_view chunk) override { classifier_.Feed(chunk); }
  PageClassifier& classifier() { return classifier_; }

 private:
  PageClassifier classifier_;
};

}  // namespace

BodySinkFactory ClassifyingSink(Expectations expectations) {
  return [e = std::move(expectations)](const ResponseHead& head) -> std::unique_ptr<BodySink> {
    PageClassifier c = NewClassifier(e, head.status, head.headers);
    if (head.redirects > 0) c.SetFinalUrl(head.url);
    return std::make_unique<ClassifierSink>(std::move(c));
  };
}

Classification TransportResult(const std::string& cause, const std::string& text) {
  Classification c;
  c.verdict = Verdict::kTransport;
  c.evidence.signature = "transport: " + cause;
  c.evidence.message = text;
  c.evidence.detail = "transport: " + text;
  return c;
}

Classification NotRunResult(const std::string& reason) {
  Classification c;
  c.verdict = Verdict::kNotRun;
  c.evidence.signature = "not run: " + reason;
  c.evidence.detail = "not run: " + reason;
  return c;
}

Outcome JudgeResponse(Response&& r, const Expectations* expectations) {
  Outcome o;
  static_cast<Fetch&>(o) = std::move(r.fetch);
  o.probe_index = r.index;
  switch (r.end) {
    case Response::End::kFailed:
      o.result = TransportResult(r.cause, o.transport_error);
      return o;
    case Response::End::kNotRun:
      o.result = NotRunResult(r.cause);
      o.transport_error.clear();
      return o;
    case Response::End::kAnswered:
      break;
  }
  if (expectations == nullptr) return o;  // unclassified: ok, the transfer worked
  try {
    auto* sink = dynamic_cast<ClassifierSink*>(r.sink.get());
    std::optional<PageClassifier> made;
    if (sink == nullptr) {  // no body reached a sink: judge the head alone
      made.emplace(NewClassifier(*expectations, o.http_status, r.headers));
      if (o.redirects > 0) made->SetFinalUrl(o.final_url);
    }
    PageClassifier& c = sink != nullptr ? sink->classifier() : *made;
    if (!o.redirect_location.empty()) c.SetFinalUrl(o.redirect_location);
    o.result = c.Finish();
  } catch (const std::exception& ex) {
    o.result = TransportResult("classifier failed", std::string("classifier failed: ") + ex.what());
    o.transport_error = o.result.evidence.message;
  }
  return o;
}

}  // namespace bc
