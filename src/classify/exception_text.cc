#include "classify/exception_text.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace bc {

std::optional<std::pair<std::string, std::string_view>> LeadingRequestId(std::string_view s) {
  s = TrimAsciiSpace(s);
  if (s.empty() || s[0] != '[') return std::nullopt;
  const size_t close = s.find(']');
  if (close == std::string_view::npos || close < 5 || close > 64) return std::nullopt;
  const std::string_view id = s.substr(1, close - 1);
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return std::nullopt;
  return std::make_pair(std::string(id), TrimAsciiSpace(s.substr(close + 1)));
}

bool IsDbClass(std::string_view cls) {
  return cls.find("Rdbms\\") != std::string_view::npos || cls.find("DBQueryError") != std::string_view::npos ||
         cls.find("DBConnectionError") != std::string_view::npos || cls.find("DBError") != std::string_view::npos ||
         cls.find("DBUnexpectedError") != std::string_view::npos;
}

std::string ClassFromLocalizedLine(std::string_view line) {
  std::string best;
  size_t i = 0;
  while (i < line.size()) {
    const auto ident = [&](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\\';
    };
    if (!ident(line[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < line.size() && ident(line[j])) ++j;
    const std::string_view tok = line.substr(i, j - i);
    const bool has_upper = std::any_of(tok.begin(), tok.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
    const bool suffix = (tok.size() > 9 && tok.ends_with("Exception")) || (tok.size() > 5 && tok.ends_with("Error"));
    const bool ns = tok.find('\\') != std::string_view::npos && has_upper;
    if (has_upper && (suffix || ns) && !std::isdigit(static_cast<unsigned char>(tok[0]))) best = tok;
    i = j;
  }
  return best;
}

ExceptionText ParseExceptionText(std::string_view text) {
  ExceptionText out;
  const auto lead = LeadingRequestId(text);
  if (!lead) {
    out.cls = ClassFromLocalizedLine(text.substr(0, 400));
    return out;
  }
  out.parsed = true;
  out.request_id = lead->first;
  std::string_view rest = lead->second;
  const size_t bt = rest.find("Backtrace:");
  const size_t sep = rest.find("   ");
  if (sep != std::string_view::npos && (bt == std::string_view::npos || sep < bt)) {
    std::string_view body = rest.substr(sep + 3, bt == std::string_view::npos ? std::string_view::npos : bt - sep - 3);
    const size_t colon = body.find(": ");
    if (colon != std::string_view::npos && colon < 200) {
      out.cls = std::string(TrimAsciiSpace(body.substr(0, colon)));
      std::string msg(TrimAsciiSpace(body.substr(colon + 2)));
      // DBQueryError carries two paragraphs of boilerplate before the real error.
      if (msg.starts_with("A database query error has occurred")) {
        const size_t info = msg.find("for more information.");
        if (info != std::string::npos) msg = std::string(TrimAsciiSpace(std::string_view(msg).substr(info + 21)));
      }
      out.message = std::move(msg);
      return out;
    }
  }
  const size_t nl = rest.find('\n');
  out.cls = ClassFromLocalizedLine(rest.substr(0, std::min<size_t>(nl, 400)));
  return out;
}

std::optional<ExceptionText> ParseInternalErrorText(std::string_view text) {
  constexpr std::string_view kMarker = "Original exception: ";
  const std::string_view lead = TrimAsciiSpace(text);
  // MediaWiki's fixed first line; the marker within the next few lines.
  if (!lead.starts_with("MediaWiki internal error.")) return std::nullopt;
  const size_t at = lead.find(kMarker);
  if (at == std::string_view::npos || at > 512) return std::nullopt;
  std::string original;
  // The original exception ends where the handler's own report starts.
  std::string_view rest = lead.substr(at + kMarker.size());
  rest = rest.substr(0, rest.find("Exception caught inside exception handler"));
  // The page is HTML: line breaks are <br />.
  for (size_t i = 0; i < rest.size();) {
    if (rest.substr(i).starts_with("<br />")) {
      i += 6;
      continue;
    }
    original += rest[i++];
  }
  ExceptionText ex = ParseExceptionText(original);
  if (!ex.parsed || ex.cls.empty()) return std::nullopt;
  return ex;
}

}  // namespace bc
