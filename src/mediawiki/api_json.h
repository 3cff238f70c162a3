// Reading api.php answers without trusting their shape. nlohmann's operator[]
// and value() throw type_error when a member has another type than expected
// ({"query":"x"}, {"error":{"code":42}}), and a non-const operator[] inserts
// what is missing. The api.php parsers (session, wiki facts, sitematrix) read
// every member through these: a missing or wrong-typed member is absent, so
// the parser returns its Error, never an exception.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace bc {

using Json = nlohmann::json;

// The member `key` of `obj`, or nullptr when obj is not an object or has no such member.
const Json* Member(const Json* obj, std::string_view key);
inline const Json* Member(const Json& obj, std::string_view key) { return Member(&obj, key); }

// The member at a path of keys ("query", "userinfo"), or nullptr when any step is missing.
template <class... Keys>
const Json* MemberAt(const Json& root, Keys... keys) {
  const Json* at = &root;
  ((at = Member(at, keys)), ...);
  return at;
}

// Same, but only an object counts (nullptr otherwise).
template <class... Keys>
const Json* ObjectAt(const Json& root, Keys... keys) {
  const Json* at = MemberAt(root, keys...);
  return at && at->is_object() ? at : nullptr;
}

// The member as text: a string as is, an integer in decimal (formatversion 1
// sends some ids as numbers), anything else or nothing as "".
std::string Str(const Json* obj, std::string_view key);
inline std::string Str(const Json& obj, std::string_view key) { return Str(&obj, key); }

// Parses an api.php answer: it must be a JSON object, and an "error" object
// becomes an Error "WHAT: API error CODE: INFO" (WHAT may be empty).
Result<Json> ParseApiAnswer(std::string_view body, std::string_view what, Error::Code code);

}  // namespace bc
