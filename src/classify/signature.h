// Pure text helpers for evidence: grouping signatures and safe excerpts.
// No state, no I/O; every function is total (any bytes in, valid UTF-8 out).
#pragma once

#include <string>
#include <string_view>

namespace bc {

// The grouping key of a failure: "Class: message" with everything that varies
// between two occurrences of the same bug replaced by a placeholder, so that
// the same exception on two wikis, pages or requests gives the same string.
//  - "[0f3a...]" request-id brackets are dropped;
//  - hex runs of 8+ digits (ids, hashes) become "<hex>";
//  - other digit runs become "<n>" (line numbers, revision ids, timestamps);
//  - page titles become "<title>": words with an underscore or a namespace
//    colon ("Foo_123", "Talk:Foo"), and quoted text that contains a space or
//    a digit ("\"Main Page\"", «Foo 2»);
//  - whitespace runs collapse to one space; the result is at most 200 bytes.
// An empty class gives just the normalised message. Invalid UTF-8 is replaced.
std::string NormalizeSignature(std::string_view exception_class, std::string_view message);

// At most max_bytes of text, cut on a UTF-8 character boundary, whitespace
// runs collapsed, control characters and invalid UTF-8 sequences replaced by
// U+FFFD. Used for Evidence::excerpt (max 300) and other page-derived strings.
std::string SafeExcerpt(std::string_view text, size_t max_bytes = 300);

// Decodes the five XML entities and numeric character references (&#39; &#x27;)
// that MediaWiki uses in attribute-free text such as RLCONF-free raw error
// output; unknown entities are kept verbatim.
std::string DecodeBasicEntities(std::string_view text);

}  // namespace bc
