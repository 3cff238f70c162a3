#include "report/redact.h"

#include "classify/signature.h"
#include "core/redact.h"

namespace bc {

void RedactEvidence(Evidence& e) {
  bool message_changed = false;
  for (std::string* s : {&e.exception_class, &e.message})
    if (!s->empty() && RedactInPlace(*s)) message_changed = true;
  for (std::string* s : {&e.request_id, &e.signature, &e.excerpt, &e.detail})
    if (!s->empty()) RedactInPlace(*s);
  // The signature was normalised from the unredacted message (digits -> <n>):
  // a secret with digits would survive there in pieces ("hunter<n>x"). The
  // redacted message is the grouping key instead.
  if (message_changed) e.signature = NormalizeSignature(e.exception_class, e.message);
}

void RedactOutcome(Outcome& o) {
  RedactEvidence(o.result.evidence);
  for (std::string* s : {&o.final_url, &o.redirect_location, &o.transport_error})
    if (!s->empty()) RedactInPlace(*s);
}

}  // namespace bc
