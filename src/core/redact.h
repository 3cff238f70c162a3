// Redaction: the one step every secret-bearing string passes before it is
// written or printed. Secrets are process-wide facts (a password read, a
// session cookie a wiki set, a login token), so they live in one registry;
// whoever learns a secret registers it, and the few places where text from
// outside (pages, API answers) enters what the crawler writes call Redact():
//
//   - every Outcome, once, where the crawl emits it (src/cli/crawl.cc) before
//     the progress display, pages.jsonl, summary.md, junit.xml, report.html,
//     metrics.prom and history.sqlite see it (RedactOutcome, report/redact.h);
//   - every login failure message (LogIn, src/mediawiki/session.cc);
//   - every error line printed (ReportError, src/cli/options.cc).
//
// Who registers: ReadPassword (each password), the engine (the value of every
// Set-Cookie whose name contains "session" or "token", in a logged-in
// scope, as it arrives: refreshed cookies too), LogIn (login tokens). A new
// writer needs nothing: it sees redacted text. A new secret source calls
// RegisterSecret; a new text source that bypasses the points above calls
// Redact.
//
// What Redact replaces with "[redacted]":
//   1. every registered value, also URL-encoded (%XX and "+" for space),
//      HTML-escaped and JSON-escaped, and a piece of at least
//      kMinPartialBytes of one at the very start or end of the text (an
//      excerpt cut through a secret);
//   2. NAME=VALUE for every registered cookie name (a value we never saw);
//   3. the value of a Cookie, Set-Cookie, HTTP_COOKIE or Authorization header
//      quoted in the text ("Cookie: a=b; c=d", "[HTTP_COOKIE] => a=b",
//      "'Authorization': 'Bearer x'"), up to the end of the line or quote.
//   4. session tokens the page itself carries, registered or not (every
//      logged-in MediaWiki page embeds mw.user.tokens: csrfToken, patrolToken,
//      watchToken; rollback links carry token=...): (a) anything shaped like a
//      MediaWiki token, 32+ hex digits then the suffix +\ raw, JSON-escaped
//      (+\\) or URL-encoded (%2B%5C); (b) the value of a JSON member or a
//      query/form parameter whose name ends in "token", any case ("csrfToken":
//      "...", wpEditToken=..., centralauthtoken=...), except the public
//      anonymous token (the suffix alone).
// Values shorter than kMinSecretBytes are not matched literally (they would
// match everywhere); rules 2 and 3 still hide them where they appear as
// cookies or headers. Rules 3 and 4 need no registry: one pass over the
// text, looking back at most over the hex run they hide, so their cost stays
// linear in a body of megabytes.
//
// Thread-safe (a mutex; registering and redacting may happen on any thread).
#pragma once

#include <string>
#include <string_view>

namespace bc {

inline constexpr std::string_view kRedacted = "[redacted]";
inline constexpr size_t kMinSecretBytes = 4;
inline constexpr size_t kMinPartialBytes = 8;

// Remembers `value` (and its encoded forms) for the rest of the process.
void RegisterSecret(std::string_view value);
// Remembers a cookie whose value is secret: its value, and NAME=... anywhere.
void RegisterSecretCookie(std::string_view name, std::string_view value);
// True for cookie names whose value is a credential: the name contains
// "session" or "token" (any case): MediaWiki's <wiki>_session, <wiki>Token,
// centralauth_Session, centralauth_Token. Not UserName/UserID.
bool IsSecretCookieName(std::string_view name);
// A Set-Cookie header's value ("NAME=VALUE; Path=/; ..."): registers the
// cookie when IsSecretCookieName(NAME).
void RegisterSetCookieHeader(std::string_view header_value);

// `text` with every secret (rules above) replaced by kRedacted.
std::string Redact(std::string_view text);
// In place; returns whether anything was replaced.
bool RedactInPlace(std::string& text);

// Forgets every registered secret (unit tests only).
void ClearSecretsForTest();

}  // namespace bc
