#include "mediawiki/api_json.h"

#include <fmt/format.h>

namespace bc {

const Json* Member(const Json* obj, std::string_view key) {
  if (!obj || !obj->is_object()) return nullptr;
  auto it = obj->find(key);
  return it == obj->end() ? nullptr : &*it;
}

std::string Str(const Json* obj, std::string_view key) {
  const Json* v = Member(obj, key);
  if (!v) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return v->dump();
  return {};
}

Result<Json> ParseApiAnswer(std::string_view body, std::string_view what, Error::Code code) {
  const std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Fail(code, fmt::format("{}the API answered with something that is not JSON ({} bytes)", prefix, body.size()));
  if (const Json* e = ObjectAt(j, "error")) {
    const std::string error_code = Str(e, "code");
    return Fail(code, fmt::format("{}API error {}: {}", prefix, error_code.empty() ? "?" : error_code, Str(e, "info")));
  }
  return j;
}

}  // namespace bc
