#include "config/toml_parse.h"

#include <fmt/format.h>

namespace bc {

Result<toml::table> ParseTomlText(std::string_view text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Fail(Error::Code::kConfig, fmt::format("TOML syntax error: {}", e.description()),
                fmt::format("{}:{}:{}", path, b.line, b.column));
  }
}

}  // namespace bc
