// What a wiki's identity may look like: the checks a [[wiki]] entry,
// [discovery] and a wiki SiteMatrix names all go through (a discovered wiki is
// checked exactly like a listed one), and the User-Agent check of [crawl] and
// --user-agent. Pure; each returns "" when the value is acceptable, else one
// sentence saying what is wrong that never echoes a credential.
#pragma once

#include <string>
#include <string_view>

namespace bc {

// Lower-case letters, digits and _ ("enwiki", "wikidatawiki").
std::string DbnameProblem(std::string_view dbname);
// http(s)://host[:port] and nothing else: no user name or password (libcurl
// would send them as Authorization), no path, query or fragment (the crawl
// would silently load something else), no control characters.
std::string WikiUrlProblem(std::string_view url);
// "" or "/seg/seg": every segment non-empty (no "//"), none "." or ".."
// (also percent-encoded), only path characters (RFC 3986 pchar: letters,
// digits, -._~!$&'()*+,;=:@ and %XX), no trailing "/".
std::string ScriptPathProblem(std::string_view script_path);
// An [discovery] allow_hosts entry: "host" or "host:port", globs (* ?) allowed,
// no scheme, path, userinfo or spaces.
std::string HostGlobProblem(std::string_view glob);
// 127.0.0.0/8, ::1 or localhost: where plain http may carry a password.
bool IsLoopbackHost(std::string_view host);
// "" when a password may be sent to `url`: https, or http to a loopback host.
std::string PlainHttpLoginProblem(std::string_view url);
// No control characters (CR and LF would inject a header into every request).
std::string UserAgentProblem(std::string_view user_agent);

}  // namespace bc
