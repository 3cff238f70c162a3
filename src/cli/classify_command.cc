#include "cli/classify_command.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "core/error.h"
#include "engine/engine.h"  // Headers
#include "plan/probe.h"
#include "report/redact.h"

namespace bc {
namespace {

struct ClassifyOptions {
  std::vector<std::string> files;
  std::string kind = "recentchanges";   // page kind the files are
  long status = 0;                      // HTTP status the pages came with; 0 = the headers file's, else 200
  std::string headers_file;             // "Name: value" lines (curl -D output works); "" = none
  std::string final_url;                // URL after redirects; "" = unknown
  std::string expect_user;              // user the pages must show
  std::vector<std::string> expect_filter_groups;  // RC/WL filter groups that must be present
  bool expect_ores = false;             // the wiki runs ORES and the page asked for ORES data
  bool expect_ores_rows = false;        // Contributions asked hidenondamaging=1 there (rows must carry scores)
};

struct HeadersFile {
  long status = 0;  // from the last "HTTP/x NNN" line; 0 when there is none
  Headers headers;  // of the last response (curl -D -L saves every redirect's too)
};

Result<HeadersFile> ReadHeaders(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Error::Code::kIo, "cannot read headers file", path);
  HeadersFile out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("HTTP/")) {
      // "HTTP/1.1 500 Internal Server Error", "HTTP/2 500": a new response begins.
      const size_t space = line.find(' ');
      char* end = nullptr;
      const long status = space == std::string::npos ? 0 : std::strtol(line.c_str() + space + 1, &end, 10);
      if (status < 100 || status > 999)
        return Fail(Error::Code::kUsage, "a status line without a status code: '" + line + "'",
                    path + ":" + std::to_string(number));
      out.status = status;
      out.headers.clear();
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    out.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return out;
}

// Streams the file through the classifier in 64 KiB chunks: a saved 50 MB
// page costs no more memory than a small one.
Result<Classification> ClassifyFile(const std::string& path, const Expectations& exp, const ClassifyOptions& o,
                                    long status, const Headers& headers) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Error::Code::kIo, "cannot read file", path);
  PageClassifier c(exp);
  c.SetStatus(status);
  for (const auto& [name, value] : headers) c.AddHeader(name, value);
  if (!o.final_url.empty()) c.SetFinalUrl(o.final_url);
  std::vector<char> buf(64 << 10);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize n = in.gcount();
    if (n > 0) c.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
  if (in.bad()) return Fail(Error::Code::kIo, "read error", path);
  return c.Finish();
}

int RunClassify(const ClassifyOptions& o) {
  const auto kind = ParsePageKind(o.kind);
  if (!kind) {
    std::fprintf(stderr, "crawler classify: unknown --kind %s\n", o.kind.c_str());
    return 2;
  }
  HeadersFile headers;
  if (!o.headers_file.empty()) {
    auto h = ReadHeaders(o.headers_file);
    if (!h) {
      std::fprintf(stderr, "crawler classify: %s\n", h.error().ToString().c_str());
      return 2;
    }
    headers = std::move(*h);
  }
  // --status wins; else the headers file's status line; else 200.
  const long status = o.status != 0 ? o.status : headers.status != 0 ? headers.status : 200;
  Expectations exp;
  exp.kind = *kind;
  exp.expect_user = o.expect_user;
  exp.expect_filter_groups = o.expect_filter_groups;
  exp.expect_ores = o.expect_ores || o.expect_ores_rows;
  exp.expect_ores_rows = o.expect_ores_rows;
  bool error = false, product_failure = false, unjudged = false;
  for (const std::string& file : o.files) {
    auto r = ClassifyFile(file, exp, o, status, headers.headers);
    if (!r) {
      std::fprintf(stderr, "crawler classify: %s\n", r.error().ToString().c_str());
      error = true;
      continue;
    }
    RedactEvidence(r->evidence);  // a saved page may quote Cookie/Authorization headers
    product_failure = product_failure || IsProductFailure(r->verdict);
    unjudged = unjudged || IsToolFailure(r->verdict);
    const Evidence& e = r->evidence;
    nlohmann::json out = {{"file", file},
                          {"verdict", VerdictName(r->verdict)},
                          {"evidence",
                           {{"exception_class", e.exception_class},
                            {"message", e.message},
                            {"request_id", e.request_id},
                            {"signature", e.signature},
                            {"excerpt", e.excerpt},
                            {"detail", e.detail}}}};
    // Evidence is page-derived: never let a stray byte make dump() throw.
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  // Like `run`: 1 for a product failure; 2 when a file could not be read or a
  // page could not be judged (auth, transport); else 0 (ok, or a warning).
  if (product_failure && !error) return 1;
  return error || unjudged ? 2 : 0;
}

}  // namespace

void AddClassifyCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ClassifyOptions>();
  CLI::App* cmd = app.add_subcommand("classify", "Classify saved pages; one JSON verdict per file. Exit 0 all ok, 1 a product failure, 2 an error");
  cmd->add_option("files", opts->files, "Saved response bodies")->required();
  cmd->add_option("--kind", opts->kind, "recentchanges|watchlist|contributions|api")
      ->check(CLI::IsMember({"recentchanges", "watchlist", "contributions", "api"}));
  cmd->add_option("--status", opts->status,
                  "HTTP status the pages were served with (default: the --headers file's status line, else 200)")
      ->check(CLI::Range(100, 999));
  cmd->add_option("--headers", opts->headers_file,
                  "File of response headers: 'HTTP/1.1 500 ...' and 'Name: value' lines (curl -D output)");
  cmd->add_option("--final-url", opts->final_url, "URL after redirects (a login URL means auth)");
  cmd->add_option("--expect-user", opts->expect_user, "User name the page must be logged in as");
  cmd->add_option("--expect-filter-group", opts->expect_filter_groups,
                  "RC/Watchlist filter group that must be in wgStructuredChangeFilters (repeatable)");
  cmd->add_flag("--expect-ores", opts->expect_ores,
                "The wiki runs ORES and the page asked for ORES data: Contributions must have ORES's hidenondamaging "
                "control, an api.php answer must not call the ORES parameters unrecognized");
  cmd->add_flag("--expect-ores-rows", opts->expect_ores_rows,
                "Contributions asked hidenondamaging=1 on an ORES wiki: listed rows must carry ORES's scores "
                "(implies --expect-ores)");
  cmd->callback([opts, &exit_code] { exit_code = RunClassify(*opts); });
}

}  // namespace bc
