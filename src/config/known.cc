#include "config/known.h"

#include <fmt/format.h>

#include <algorithm>
#include <toml++/toml.h>

#include "config/toml_parse.h"
#include "core/file.h"

namespace bc {
namespace {

// Thrown only inside this file and turned into an Error at the boundary
// (ParseKnownIssues), as in targets.cc: the checks read as a flat list.
struct KnownFailure {
  Error error;
};

// The name a [[known]] key has now, for a key it replaced ("" = not an old name).
std::string_view KnownKeyNow(std::string_view old) {
  if (old == "class") return "exception_class";  // as pages.jsonl's evidence.exception_class
  if (old == "page") return "kind";               // as --kind and pages.jsonl's kind
  return {};
}

class KnownParser {
 public:
  explicit KnownParser(std::string path) : path_(std::move(path)) {}

  KnownIssues Parse(const toml::table& root) {
    KnownIssues out;
    out.path = path_;
    for (auto&& [key, node] : root)
      if (key.str() != "known")
        FailAt(key.source().begin, fmt::format("unknown key '{}' at the top level; a known-issues file holds "
                                               "only [[known]] tables",
                                               key.str()));
    const toml::node* list = root.get("known");
    if (!list) return out;  // an empty file: no known issues
    const toml::array* arr = list->as_array();
    if (!arr || !arr->is_array_of_tables())
      Fail(*list, "'known' must be an array of tables: write each issue as [[known]]");
    for (const toml::node& el : *arr) out.entries.push_back(Entry(*el.as_table()));
    out.deprecations = std::move(deprecations_);
    return out;
  }

 private:
  KnownIssue Entry(const toml::table& t) {
    static constexpr std::string_view kKeys[] = {"task", "note", "verdict", "exception_class", "signature", "wiki",
                                                 "kind", "param"};
    for (auto&& [key, node] : t) {
      if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) != std::end(kKeys)) continue;
      if (const std::string_view now = KnownKeyNow(key.str()); !now.empty()) {
        // The old name of a key (docs/NAMES.md): still read, with a note saying the new one.
        if (t.get(now)) FailAt(key.source().begin, fmt::format("'{}' and '{}' are the same key; keep '{}'", key.str(), now, now));
        deprecations_.push_back(fmt::format("{}:{}:{}: note: '{}' is the old name of '{}'; write {} = ...", path_,
                                            key.source().begin.line, key.source().begin.column, key.str(), now, now));
        continue;
      }
      FailAt(key.source().begin, fmt::format("unknown key '{}' in [[known]]; known keys: {}", key.str(),
                                             fmt::join(kKeys, ", ")));
    }
    // Each key by its name now or its old one (never both: checked above).
    const auto get = [&](std::string_view now, std::string_view old) { return t.get(now) ? t.get(now) : t.get(old); };
    KnownIssue k;
    k.where = Where(t);
    const toml::node* task = t.get("task");
    if (!task) Fail(t, "[[known]] needs task = \"T123456\" (the Phabricator task of the issue)");
    k.task = String(*task, "task");
    const bool task_ok = k.task.size() > 1 && k.task[0] == 'T' &&
                         std::all_of(k.task.begin() + 1, k.task.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!task_ok) Fail(*task, fmt::format("task '{}' is not a Phabricator task id; write it as \"T181191\"", k.task));
    if (auto* n = t.get("note")) k.note = String(*n, "note");
    if (auto* n = t.get("verdict")) {
      const std::string v = String(*n, "verdict");
      const auto parsed = ParseVerdict(v);
      if (!parsed || !IsProductFailure(*parsed, /*warnings_fail=*/true))
        Fail(*n, fmt::format("verdict '{}' is not a product failure; use one of exception, fatal, db-error, "
                             "edge-error, broken, warning",
                             v));
      k.verdict = *parsed;
    }
    if (auto* n = get("exception_class", "class")) k.exception_class = NonEmpty(*n, "exception_class");
    if (auto* n = t.get("signature")) k.signature = NonEmpty(*n, "signature");
    // Without one of these an entry would hide every failure of a wiki or page.
    if (!k.verdict && k.exception_class.empty() && k.signature.empty())
      Fail(t, fmt::format("[[known]] {} needs at least one of verdict, exception_class or signature; wiki, kind and param "
                          "only narrow a match",
                          k.task));
    if (auto* n = t.get("wiki")) k.wiki = NonEmpty(*n, "wiki");
    if (auto* n = get("kind", "page")) {
      const std::string p = String(*n, "kind");
      k.page = ParsePageKind(p);
      if (!k.page) Fail(*n, fmt::format("kind '{}' is not a page kind; use recentchanges, watchlist, contributions or api", p));
    }
    if (auto* n = t.get("param")) {
      const std::string p = String(*n, "param");
      const size_t eq = p.find('=');
      if (eq == std::string::npos || eq == 0) Fail(*n, fmt::format("param '{}': write it as \"KEY=VALUE\"", p));
      k.param_key = p.substr(0, eq);
      k.param_value = p.substr(eq + 1);
    }
    return k;
  }

  std::string Where(const toml::node& n) const {
    const auto& s = n.source().begin;
    return fmt::format("{}:{}:{}", path_, s.line, s.column);
  }
  [[noreturn]] void Fail(const toml::node& n, std::string message) const {
    throw KnownFailure{Error{Error::Code::kConfig, std::move(message), Where(n)}};
  }
  [[noreturn]] void FailAt(const toml::source_position& pos, std::string message) const {
    throw KnownFailure{Error{Error::Code::kConfig, std::move(message), fmt::format("{}:{}:{}", path_, pos.line, pos.column)}};
  }
  std::string String(const toml::node& n, std::string_view key) const {
    if (auto v = n.value<std::string>(); v && n.is_string()) return *v;
    Fail(n, fmt::format("'{}' must be a string", key));
  }
  std::string NonEmpty(const toml::node& n, std::string_view key) const {
    std::string s = String(n, key);
    if (s.empty()) Fail(n, fmt::format("'{}' is empty; leave the key out to match any", key));
    return s;
  }

  std::string path_;
  std::vector<std::string> deprecations_;
};

}  // namespace

std::string TaskUrl(const std::string& task) { return "https://phabricator.wikimedia.org/" + task; }

Result<KnownIssues> ParseKnownIssues(std::string_view text, const std::string& path) {
  auto root = ParseTomlText(text, path);
  if (!root) return std::unexpected(root.error());
  try {
    return KnownParser(path).Parse(*root);
  } catch (const KnownFailure& f) {
    return std::unexpected(f.error);
  }
}

Result<KnownIssues> LoadKnownIssues(const std::string& path) {
  auto text = ReadFileToString(path);
  if (!text)
    return Fail(Error::Code::kConfig, fmt::format("cannot read known-issues file: {}", text.error().message), path);
  return ParseKnownIssues(*text, path);
}

}  // namespace bc
