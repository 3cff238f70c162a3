#include "config/wiki_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/text.h"
#include "core/url.h"

namespace bc {
namespace {

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::string DbnameProblem(std::string_view dbname) {
  const bool ok = !dbname.empty() && std::all_of(dbname.begin(), dbname.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
  return ok ? std::string() : fmt::format("dbname '{}' must be lower-case letters, digits and _", dbname);
}

std::string WikiUrlProblem(std::string_view url) {
  // user:password@ in the authority: said before anything could echo the URL.
  const size_t scheme_end = url.find("://");
  const size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const size_t at = url.find('@', authority);
  if (at != std::string_view::npos && at < url.find_first_of("/?#", authority))
    return "url contains a user name or password; credentials never go in a targets file: use [account.NAME] "
           "with password_env or password_file";
  if (std::any_of(url.begin(), url.end(), [](char c) { return IsControl(static_cast<unsigned char>(c)); }))
    return "url contains a control character";
  const std::string text(url);
  auto u = Url::Parse(text);
  const std::string scheme = u ? u->Scheme() : std::string();
  if (!u || (scheme != "http" && scheme != "https"))
    return fmt::format("url '{}' is not an http(s) URL; write it as https://host[:port]", url);
  const std::string path = u->Path();
  if (!path.empty() && path != "/")
    return fmt::format("url '{}' has a path; put only scheme://host[:port] in url and the path in script_path", url);
  if (text.find('?') != std::string::npos)
    return fmt::format("url '{}' has a query (?...); put only scheme://host[:port] in url", url);
  if (text.find('#') != std::string::npos)
    return fmt::format("url '{}' has a fragment (#...); put only scheme://host[:port] in url", url);
  return {};
}

std::string ScriptPathProblem(std::string_view p) {
  if (p.empty()) return {};
  if (p.front() != '/' || p.back() == '/')
    return fmt::format("script_path '{}' must be empty or start with / and not end with / (e.g. \"/w\")", p);
  static constexpr std::string_view kPathChars = "-._~!$&'()*+,;=:@/%";
  for (size_t i = 0; i < p.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    const bool ok = std::isalnum(c) || kPathChars.find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok || c >= 0x80)
      return fmt::format("script_path '{}' has a character that is not a path character at {} (use %XX)", p, i + 1);
    if (c == '%' && (i + 2 >= p.size() || !std::isxdigit(static_cast<unsigned char>(p[i + 1])) ||
                     !std::isxdigit(static_cast<unsigned char>(p[i + 2]))))
      return fmt::format("script_path '{}' has a '%' that is not %XX", p);
  }
  for (size_t at = 1; at <= p.size();) {
    const size_t next = std::min(p.find('/', at), p.size());
    std::string seg(p.substr(at, next - at));
    std::transform(seg.begin(), seg.end(), seg.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (size_t e = seg.find("%2e"); e != std::string::npos; e = seg.find("%2e")) seg.replace(e, 3, ".");
    if (seg.empty()) return fmt::format("script_path '{}' has an empty segment (//)", p);
    if (seg == "." || seg == "..")
      return fmt::format("script_path '{}' has a '{}' segment; write the path it means", p, seg);
    at = next + 1;
  }
  return {};
}

std::string HostGlobProblem(std::string_view glob) {
  const bool ok = !glob.empty() && std::all_of(glob.begin(), glob.end(), [](char ch) {
    const unsigned char c = static_cast<unsigned char>(ch);
    return std::isalnum(c) || ch == '.' || ch == '-' || ch == '*' || ch == '?' || ch == ':' || ch == '[' || ch == ']';
  });
  if (!ok)
    return fmt::format("allow_hosts entry '{}' must be a host or host:port glob, e.g. \"*.beta.wmcloud.org\" or "
                       "\"127.0.0.1:8101\" (no scheme or path)", glob);
  return {};
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

std::string PlainHttpLoginProblem(std::string_view url) {
  auto u = Url::Parse(std::string(url));
  if (!u) return "not a URL";
  if (u->Scheme() == "https") return {};
  const std::string host = AsciiLower(u->Host());
  if (IsLoopbackHost(host)) return {};
  return fmt::format("the password would cross the network in clear to {} (plain http); logging in needs https "
                     "(plain http only on loopback)", host);
}

std::string UserAgentProblem(std::string_view ua) {
  for (size_t i = 0; i < ua.size(); ++i)
    if (IsControl(static_cast<unsigned char>(ua[i])))
      return fmt::format("user_agent has a control character (byte 0x{:02x} at {}); CR or LF would inject a header "
                         "into every request", static_cast<unsigned>(static_cast<unsigned char>(ua[i])), i + 1);
  return {};
}

}  // namespace bc
