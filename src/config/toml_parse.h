// Parsing TOML text into a table, a syntax error becoming the project's error
// with its FILE:LINE:COL. Shared by every TOML file the crawler reads (the
// targets file, the known-issues file), so they all report a mistake alike.
#pragma once

#include <string>
#include <string_view>
#include <toml++/toml.h>

#include "core/error.h"

namespace bc {

// `path` names the text in the error's location (and in toml++'s source info).
Result<toml::table> ParseTomlText(std::string_view text, const std::string& path);

}  // namespace bc
