#include "classify/head_info.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "classify/find.h"
#include "classify/signature.h"

namespace bc {
namespace {

using nlohmann::json;

// Captures the first scalar value of a JSON text and stops.
struct ScalarSax : nlohmann::json_sax<json> {
  bool got = false, is_null = false, is_string = false;
  std::string value;
  bool null() override { return Take(true, ""); }
  bool boolean(bool) override { return Take(false, ""); }
  bool number_integer(number_integer_t) override { return Take(false, ""); }
  bool number_unsigned(number_unsigned_t) override { return Take(false, ""); }
  bool number_float(number_float_t, const string_t&) override { return Take(false, ""); }
  bool string(string_t& s) override {
    is_string = true;
    return Take(false, s);
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return false; }
  bool key(string_t&) override { return false; }
  bool end_object() override { return false; }
  bool start_array(std::size_t) override { return false; }
  bool end_array() override { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
  bool Take(bool n, std::string v) {
    got = true;
    is_null = n;
    value = std::move(v);
    return false;  // one value is all we want: stop the parser here
  }
};

// Collects the "name" of each group object in the wgStructuredChangeFilters
// array: [ {"name": G, "filters": [ {"name": F, ...} ] }, ... ]. Group names
// sit at depth 2 (array, object); filter names deeper are ignored.
struct GroupsSax : nlohmann::json_sax<json> {
  int depth = 0;
  bool next_is_group_name = false;
  bool ok = false;
  std::vector<std::string> groups;
  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t& s) override {
    if (next_is_group_name) groups.push_back(s);
    return Value();
  }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    next_is_group_name = false;
    ++depth;
    return true;
  }
  bool key(string_t& k) override {
    next_is_group_name = depth == 2 && k == "name";
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override {
    next_is_group_name = false;
    ++depth;
    return true;
  }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
  bool Value() {
    next_is_group_name = false;
    return true;
  }
  bool Close() {
    next_is_group_name = false;
    if (--depth == 0) ok = true;
    return true;
  }
};

// The text right after `"KEY":` inside RLCONF, or empty when absent.
std::string_view ValueAfterKey(std::string_view rlconf, std::string_view key) {
  const std::string needle = "\"" + std::string(key) + "\":";
  const size_t at = FastFind(rlconf, needle);
  if (at == std::string_view::npos) return {};
  return rlconf.substr(at + needle.size());
}

ScalarSax ReadScalar(std::string_view text) {
  ScalarSax sax;
  if (!text.empty()) json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, false);
  return sax;
}

std::string ReadTitle(std::string_view head) {
  size_t open = head.find("<title>");
  if (open == std::string_view::npos) open = head.find("<TITLE>");
  if (open == std::string_view::npos) return {};
  const size_t start = open + 7;
  size_t close = head.find("</title>", start);
  if (close == std::string_view::npos) close = head.find("</TITLE>", start);
  if (close == std::string_view::npos) close = std::min(head.size(), start + 300);
  return SafeExcerpt(DecodeBasicEntities(head.substr(start, std::min<size_t>(close - start, 1200))), 300);
}

}  // namespace

HeadInfo AnalyzeHead(std::string_view head, bool want_filter_groups) {
  HeadInfo info;
  info.title = ReadTitle(head);
  const size_t rl = FastFind(head, "RLCONF=");
  if (rl == std::string_view::npos) return info;
  info.has_rlconf = true;
  const std::string_view rlconf = head.substr(rl + 7);

  const std::string_view user = ValueAfterKey(rlconf, "wgUserName");
  if (!user.empty()) {
    const ScalarSax v = ReadScalar(user);
    if (v.got) {
      info.user_present = true;
      info.user_is_null = v.is_null;
      info.user_name = v.value;
    }
  }
  info.request_id = SafeExcerpt(ReadScalar(ValueAfterKey(rlconf, "wgRequestId")).value, 100);
  info.canonical_special = SafeExcerpt(ReadScalar(ValueAfterKey(rlconf, "wgCanonicalSpecialPageName")).value, 100);

  if (want_filter_groups) {
    const std::string_view groups = ValueAfterKey(rlconf, "wgStructuredChangeFilters");
    if (!groups.empty()) {
      GroupsSax sax;
      json::sax_parse(groups.begin(), groups.end(), &sax, json::input_format_t::json, false);
      if (sax.ok) {
        info.has_filter_groups = true;
        info.filter_groups = std::move(sax.groups);
      }
    }
  }
  return info;
}

bool HasAllFilterGroups(std::string_view head, const std::vector<std::string>& groups) {
  const size_t rl = FastFind(head, "RLCONF=");
  if (rl == std::string_view::npos) return false;
  std::string_view value = ValueAfterKey(head.substr(rl + 7), "wgStructuredChangeFilters");
  if (value.empty()) return false;
  // The value ends before the next top-level RLCONF key; every key is "wg...".
  const size_t next = FastFind(value, ",\"wg");
  if (next != std::string_view::npos) value = value.substr(0, next);
  bool all = true;
  for (const std::string& g : groups) {
    if (FastFind(value, "{\"name\":" + json(g).dump() + ",\"type\":") == std::string_view::npos) {
      all = false;
      break;
    }
  }
  if (all) return true;
  const HeadInfo parsed = AnalyzeHead(head, true);
  for (const std::string& g : groups)
    if (std::find(parsed.filter_groups.begin(), parsed.filter_groups.end(), g) == parsed.filter_groups.end())
      return false;
  return true;
}

}  // namespace bc
