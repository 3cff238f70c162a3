#include "core/redact.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace bc {
namespace {

uint32_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `lower_word` (written in lower case) at text[at], ASCII case ignored.
bool MatchesNoCaseAt(std::string_view text, size_t at, std::string_view lower_word) {
  if (at + lower_word.size() > text.size()) return false;
  for (size_t k = 0; k < lower_word.size(); ++k)
    if (Lower(text[at + k]) != lower_word[k]) return false;
  return true;
}

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return Lower(a) == Lower(b); }) != haystack.end();
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// The forms a server may echo a value in: as sent (raw), as our form body
// or a query string carries it (curl's percent-encoding; PHP's urlencode
// with "+"), inside HTML (htmlspecialchars, ENT_QUOTES) and inside JSON
// (PHP's json_encode escapes "/").
std::vector<std::string> EncodedForms(std::string_view value) {
  std::vector<std::string> forms{std::string(value)};
  std::unique_ptr<char, decltype(&curl_free)> pct(curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size())),
                                                  &curl_free);
  if (pct) {
    forms.emplace_back(pct.get());
    forms.push_back(ReplaceAll(pct.get(), "%20", "+"));
  }
  std::string html = ReplaceAll(std::string(value), "&", "&amp;");
  html = ReplaceAll(ReplaceAll(ReplaceAll(std::move(html), "<", "&lt;"), ">", "&gt;"), "\"", "&quot;");
  forms.push_back(ReplaceAll(html, "'", "&#039;"));
  forms.push_back(ReplaceAll(html, "'", "&#39;"));
  std::string json = ReplaceAll(ReplaceAll(std::string(value), "\\", "\\\\"), "\"", "\\\"");
  forms.push_back(json);
  forms.push_back(ReplaceAll(json, "/", "\\/"));
  return forms;
}

class Registry {
 public:
  void Add(std::string_view value) {
    if (value.size() < kMinSecretBytes) return;
    std::lock_guard lock(mu_);
    for (std::string& form : EncodedForms(value)) {
      if (form.size() < kMinSecretBytes) continue;
      auto [it, inserted] = values_.insert(std::move(form));
      if (!inserted) continue;
      const std::string* v = &*it;  // unordered_set nodes never move
      by_head_.emplace(Load4(v->data()), v);
      by_tail_.emplace(Load4(v->data() + v->size() - 4), v);
      longest_ = std::max(longest_, v->size());
    }
  }

  void AddCookieName(std::string_view name) {
    if (name.empty()) return;
    std::lock_guard lock(mu_);
    if (std::find(cookie_names_.begin(), cookie_names_.end(), name) == cookie_names_.end())
      cookie_names_.emplace_back(name);
  }

  void Clear() {
    std::lock_guard lock(mu_);
    by_head_.clear();
    by_tail_.clear();
    values_.clear();
    cookie_names_.clear();
    longest_ = 0;
  }

  // Byte ranges [first, second) of `text` to replace, unsorted, may overlap.
  std::vector<std::pair<size_t, size_t>> Find(std::string_view text) {
    std::vector<std::pair<size_t, size_t>> out;
    FindHeaderValues(text, out);
    FindTokenShapes(text, out);
    FindTokenNamedValues(text, out);
    std::lock_guard lock(mu_);
    FindLiterals(text, out);
    FindCookieNames(text, out);
    return out;
  }

 private:
  void FindLiterals(std::string_view text, std::vector<std::pair<size_t, size_t>>& out) const {
    const size_t n = text.size();
    if (values_.empty() || n < kMinSecretBytes) return;
    // Whole values anywhere: one hash lookup per position.
    for (size_t i = 0; i + 4 <= n; ++i) {
      auto [b, e] = by_head_.equal_range(Load4(text.data() + i));
      size_t end = 0;
      for (auto it = b; it != e; ++it)
        if (text.substr(i).starts_with(*it->second)) end = std::max(end, i + it->second->size());
      if (end) out.emplace_back(i, end);
    }
    if (n < kMinPartialBytes) return;
    // The text ends inside a value (an excerpt cut through it): the longest such tail.
    for (size_t p = n > longest_ ? n - longest_ + 1 : 0; p + kMinPartialBytes <= n; ++p) {
      const std::string_view tail = text.substr(p);
      auto [b, e] = by_head_.equal_range(Load4(tail.data()));
      bool hit = false;
      for (auto it = b; it != e && !hit; ++it) hit = it->second->size() > tail.size() && it->second->starts_with(tail);
      if (hit) {
        out.emplace_back(p, n);
        break;
      }
    }
    // The text starts inside a value.
    for (size_t k = std::min(n, longest_ - 1); k >= kMinPartialBytes; --k) {
      const std::string_view head = text.substr(0, k);
      auto [b, e] = by_tail_.equal_range(Load4(head.data() + k - 4));
      bool hit = false;
      for (auto it = b; it != e && !hit; ++it) hit = it->second->size() > k && it->second->ends_with(head);
      if (hit) {
        out.emplace_back(0, k);
        break;
      }
    }
  }

  void FindCookieNames(std::string_view text, std::vector<std::pair<size_t, size_t>>& out) const {
    for (const std::string& name : cookie_names_) {
      for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        size_t v = at + name.size();
        if (v >= text.size() || text[v] != '=') continue;
        ++v;
        size_t end = v;
        while (end < text.size() && std::strchr("; \t\r\n&\"'<>,\\", text[end]) == nullptr) ++end;
        if (end > v) out.emplace_back(v, end);
      }
    }
  }

  // Where a quoted header value starting at `p` ends: a run of characters up
  // to a space, line end, quote, backslash or tag. A Cookie value goes on
  // after "; " (a=1; b=2); an Authorization value is a scheme and one more
  // word (Bearer xyz).
  static size_t ValueEnd(std::string_view text, size_t p, bool authorization) {
    static constexpr std::string_view kEndEntities[] = {"&quot;", "&#039;", "&#39;", "&lt;", "&#34;"};
    const auto stops = [&](size_t i) {
      if (std::strchr(" \t\r\n<\"'\\", text[i]) != nullptr) return true;
      if (text[i] != '&') return false;
      for (std::string_view ent : kEndEntities)
        if (text.substr(i).starts_with(ent)) return true;
      return false;
    };
    size_t end = p;
    int words = 0;
    while (end < text.size()) {
      while (end < text.size() && !stops(end)) ++end;
      ++words;
      if (end >= text.size() || (text[end] != ' ' && text[end] != '\t')) break;
      const bool cookie_goes_on = !authorization && end > p && text[end - 1] == ';';
      const bool auth_credentials = authorization && words == 1 && end > p;
      if (!cookie_goes_on && !auth_credentials) break;
      size_t next = end;
      while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
      if (next >= text.size() || stops(next)) break;
      end = next;
    }
    return end;
  }

  // "Cookie: ...", "[HTTP_COOKIE] => ...", "'Authorization': '...'": the
  // value after a separator that has a ':' or '=' in it, up to the end of the
  // line, a quote or a tag. Plain prose ("session cookie not kept") has no
  // such separator and is left alone.
  static void FindHeaderValues(std::string_view text, std::vector<std::pair<size_t, size_t>>& out) {
    static constexpr std::string_view kWords[] = {"cookie", "authorization"};
    static constexpr std::string_view kEntities[] = {"&quot;", "&#039;", "&#39;", "&gt;", "&#34;"};
    for (std::string_view word : kWords) {
      for (size_t at = 0; at + word.size() <= text.size(); ++at) {
        if (!MatchesNoCaseAt(text, at, word)) continue;
        size_t p = at + word.size();
        bool assigns = false;
        while (p < text.size()) {
          const char c = text[p];
          if (c == ':' || c == '=' || c == '>') {
            assigns = true;
            ++p;
          } else if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == ']' || c == '\\') {
            ++p;
          } else if (c == '&') {
            const std::string_view rest = text.substr(p);
            size_t len = 0;
            for (std::string_view ent : kEntities)
              if (rest.starts_with(ent)) len = ent.size();
            if (!len) break;
            assigns = assigns || rest.starts_with("&gt;");
            p += len;
          } else {
            break;
          }
        }
        if (!assigns) continue;
        const size_t end = ValueEnd(text, p, word == "authorization");
        if (end > p && text.substr(p, end - p) != kRedacted) out.emplace_back(p, end);
        at = end > at ? end - 1 : at;
      }
    }
  }

  // Rule 4a: a MediaWiki token by its shape, whoever names it. Every token
  // MediaWiki hands a session (csrf, patrol, watch, rollback, login; the
  // mw.user.tokens every logged-in page embeds) is hex (an HMAC and a hex
  // timestamp) followed by Token::SUFFIX "+\", which a page carries raw (an
  // HTML attribute), JSON-escaped ("+\\" in mw.user.tokens.set / RLCONF),
  // URL-encoded ("%2B%5C" in rollback links) or doubly escaped. One pass over
  // the '+' and '%' bytes; each looks back over at most the hex run.
  static void FindTokenShapes(std::string_view text, std::vector<std::pair<size_t, size_t>>& out) {
    constexpr size_t kMinHex = 32;  // an MD5/HMAC hex digest; the timestamp adds 8
    const auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    for (size_t i = kMinHex; i < text.size(); ++i) {
      size_t after_plus;
      if (text[i] == '+') after_plus = i + 1;
      else if (MatchesNoCaseAt(text, i, "%2b")) after_plus = i + 3;
      else continue;
      size_t end = after_plus;
      while (end < text.size() && text[end] == '\\') ++end;  // "+\", "+\\", "+\\\\"
      if (end == after_plus)
        while (MatchesNoCaseAt(text, end, "%5c")) end += 3;  // "%2B%5C"
      if (end == after_plus) continue;
      size_t start = i;
      while (start > 0 && is_hex(text[start - 1])) --start;
      if (i - start >= kMinHex) out.emplace_back(start, end);
      i = end - 1;
    }
  }

  // The token every anonymous session gets: the suffix +\ alone (raw, JSON-
  // escaped or URL-encoded). Public, so anonymous pages stay as they were.
  static bool IsAnonymousToken(std::string_view value) {
    if (value.starts_with('+')) value.remove_prefix(1);
    else if (value.starts_with("%2B") || value.starts_with("%2b")) value.remove_prefix(3);
    else return false;
    if (value == "%5C" || value == "%5c") return true;
    return !value.empty() && value.find_first_not_of('\\') == std::string_view::npos;
  }

  // Rule 4b: the value of anything named like a token: a JSON member
  // ("csrfToken": "...", "logintoken":"...") or a query/form parameter
  // (token=..., wpEditToken=..., centralauthtoken=...) whose name ends in
  // "token" (any case). Catches tokens of another shape (a bare hex
  // centralauthtoken) and an excerpt cut inside a value. A JSON value runs to
  // its closing quote (or the end of the text); a parameter value to a
  // separator, quote, space or tag.
  static void FindTokenNamedValues(std::string_view text, std::vector<std::pair<size_t, size_t>>& out) {
    constexpr std::string_view kName = "token";
    for (size_t at = 0; at + kName.size() < text.size(); ++at) {
      if (!MatchesNoCaseAt(text, at, kName)) continue;
      size_t p = at + kName.size();
      size_t begin = 0;
      size_t end = 0;
      if (text[p] == '=') {  // a parameter
        begin = ++p;
        end = begin;
        while (end < text.size() && std::strchr("&;# \t\r\n\"'<>", text[end]) == nullptr) ++end;
      } else if (text[p] == '"') {  // a JSON member name's closing quote
        ++p;
        while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
        if (p >= text.size() || text[p] != ':') continue;
        ++p;
        while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
        if (p >= text.size() || text[p] != '"') continue;  // not a string (null, an object of tokens)
        begin = ++p;
        end = begin;
        while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
        end = std::min(end, text.size());
      } else {
        continue;
      }
      const std::string_view value = text.substr(begin, end - begin);
      if (!value.empty() && value != kRedacted && !IsAnonymousToken(value)) out.emplace_back(begin, end);
      at = std::max(at, end > 0 ? end - 1 : at);
    }
  }

  std::mutex mu_;
  std::unordered_set<std::string> values_;
  std::unordered_multimap<uint32_t, const std::string*> by_head_;  // first 4 bytes -> value
  std::unordered_multimap<uint32_t, const std::string*> by_tail_;  // last 4 bytes -> value
  std::vector<std::string> cookie_names_;
  size_t longest_ = 0;
};

Registry& Secrets() {
  static Registry* registry = new Registry;  // never destroyed: usable until exit
  return *registry;
}

}  // namespace

void RegisterSecret(std::string_view value) { Secrets().Add(value); }

void RegisterSecretCookie(std::string_view name, std::string_view value) {
  Secrets().AddCookieName(name);
  Secrets().Add(value);
}

bool IsSecretCookieName(std::string_view name) { return ContainsNoCase(name, "session") || ContainsNoCase(name, "token"); }

void RegisterSetCookieHeader(std::string_view header_value) {
  const std::string_view pair = header_value.substr(0, header_value.find(';'));
  const size_t eq = pair.find('=');
  if (eq == std::string_view::npos) return;
  std::string_view name = pair.substr(0, eq);
  std::string_view value = pair.substr(eq + 1);
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '"')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '"')) value.remove_suffix(1);
  if (IsSecretCookieName(name)) RegisterSecretCookie(name, value);
}

bool RedactInPlace(std::string& text) {
  auto ranges = Secrets().Find(text);
  if (ranges.empty()) return false;
  std::sort(ranges.begin(), ranges.end());
  std::string out;
  out.reserve(text.size());
  size_t done = 0;
  for (size_t i = 0; i < ranges.size();) {
    size_t first = ranges[i].first;
    size_t last = ranges[i].second;
    for (++i; i < ranges.size() && ranges[i].first <= last; ++i) last = std::max(last, ranges[i].second);
    out.append(text, done, first - done);
    out += kRedacted;
    done = last;
  }
  out.append(text, done, std::string::npos);
  text = std::move(out);
  return true;
}

std::string Redact(std::string_view text) {
  std::string s(text);
  RedactInPlace(s);
  return s;
}

void ClearSecretsForTest() { Secrets().Clear(); }

}  // namespace bc
