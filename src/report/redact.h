// Redaction of an Outcome: every string in it a server could have filled
// (evidence, URLs after redirects, transport errors) goes through Redact()
// (core/redact.h). Called once per outcome where the crawl emits it
// (src/cli/crawl.cc), so every writer and the terminal see redacted text.
#pragma once

#include "classify/verdict.h"
#include "classify/outcome.h"

namespace bc {

// When the class or message had a secret, the signature (normalised from the
// unredacted message) is made again from the redacted ones.
void RedactEvidence(Evidence& evidence);
void RedactOutcome(Outcome& outcome);

}  // namespace bc
