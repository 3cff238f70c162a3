// crawler repro PROBE_ID [--run RUN] [--save DIR]: reproduce one probe of a
// run without pasting cookies. Loads that run's targets, logs in to the
// probe's wiki as the run did, fetches the probe's URL once, classifies it,
// prints the HTTP status and the verdict, and with --save keeps the response
// headers and body (secrets redacted) for `crawler classify` or a bug report. Exit codes as
// `classify`: 0 ok, 1 a product failure, 2 an error or a page not judged.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/crawl.h"
#include "cli/history_command.h"
#include "cli/options.h"
#include "classify/classifier.h"
#include "classify/page_sink.h"
#include "config/engine_options.h"
#include "core/redact.h"
#include "engine/engine.h"
#include "mediawiki/session.h"
#include "report/evidence.h"  // EvidenceHeadersText: the same .headers file as a run's evidence
#include "report/history.h"
#include "report/redact.h"
#include "report/run_dir.h"

namespace bc {
namespace {

struct ReproOptions {
  std::string probe_id;
  std::string run = "latest";
  std::string results_dir = "results";
  std::string save_dir;  // "" = do not save
};

int Repro(const ReproOptions& o) {
  auto run_id = ResolveRun(o.results_dir, o.run);
  if (!run_id) return ReportError(run_id.error());
  auto history = History::Open(o.results_dir + "/history.sqlite");
  if (!history) return ReportError(history.error());
  auto run = history->GetRun(*run_id);
  if (!run) return ReportError(run.error());
  if (!*run) return ReportError(Error{Error::Code::kUsage, fmt::format("no run {} in the history", *run_id), o.results_dir});
  std::string before;  // the probe's verdict in that run
  if (auto rows = history->LoadOutcomes(*run_id); rows)
    for (const OutcomeRow& r : *rows)
      if (r.probe_id == o.probe_id) before = r.verdict;

  PlanOptions plan;
  plan.results_dir = o.results_dir;
  plan.targets = (*run)->targets;
  auto prepared = LoadPreparedPlan(plan);
  if (!prepared) return ReportError(prepared.error());
  const Probe* probe = nullptr;
  for (const Probe& p : prepared->probes)
    if (p.id == o.probe_id) probe = &p;
  if (probe == nullptr)
    return ReportError(Error{Error::Code::kUsage,
                             fmt::format("no probe {} in the plan of {} (run {}; `crawler plan {}` lists the ids)",
                                         o.probe_id, plan.targets, *run_id, plan.targets),
                             ""});
  const Targets& targets = prepared->targets;

  Engine engine(EngineOptionsFor(targets.crawl));
  if (!probe->account.empty()) {
    auto passwords = ReadPasswords(targets, {probe->wiki.str()});
    if (!passwords) return ReportError(passwords.error());
    for (const LoginResult& l : LogIn(engine, targets, {probe->wiki.str()}, *passwords)) {
      if (!l.ok) {
        fmt::print(stderr, "crawler repro: login to {} failed: {}\n", l.wiki, l.message);
        return 2;
      }
      fmt::print("logged in to {} as {}\n", l.wiki, l.user);
    }
  }
  Request req;
  req.url = probe->url;
  req.host = probe->host;
  req.session = probe->account.empty() ? std::string() : probe->wiki;
  // No sink: the engine keeps the body and headers, classified below, so
  // what is saved is what was judged.
  Response response;
  std::vector<Request> one{std::move(req)};
  auto stats = engine.Run(std::move(one), [&](Response&& r) { response = std::move(r); });
  if (!stats) return ReportError(stats.error());
  const Expectations expectations = ExpectationsFor(*probe);  // expect_ores too: the silent ORES failure
  const bool answered = response.answered();
  std::string body = response.body;
  Headers headers = response.headers;
  // Not answered: the engine's transport or not-run verdict; answered: unclassified (ok) here,
  // the page's verdict from the classifier below.
  Outcome out = JudgeResponse(std::move(response), answered ? nullptr : &expectations);
  Classification c = out.result;
  if (answered) {
    PageClassifier classifier(expectations);
    classifier.SetStatus(out.http_status);
    for (const auto& [name, value] : headers) classifier.AddHeader(name, value);
    if (!out.final_url.empty()) classifier.SetFinalUrl(out.final_url);
    classifier.Feed(body);
    c = classifier.Finish();
  }
  RedactEvidence(c.evidence);  // printed: no secret a page quotes (src/core/redact.h)
  const Evidence& e = c.evidence;
  fmt::print("{} {} {}\n", probe->wiki, PageKindName(probe->kind), probe->url);
  fmt::print("HTTP {} · verdict {}{}{}\n", out.http_status, VerdictName(c.verdict),
             e.exception_class.empty() ? "" : " · " + e.exception_class + (e.message.empty() ? "" : ": " + e.message),
             e.request_id.empty() ? "" : " · request id " + e.request_id);
  if (!e.detail.empty()) fmt::print("detail: {}\n", e.detail);
  if (!out.transport_error.empty()) fmt::print("transport: {}\n", out.transport_error);
  if (!before.empty()) fmt::print("in run {}: {}{}\n", *run_id, before, before == VerdictName(c.verdict) ? " (the same)" : "");
  if (!o.save_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.save_dir, ec);
    if (ec) return ReportError(Error{Error::Code::kIo, "cannot create the directory: " + ec.message(), o.save_dir});
    const std::string base = o.save_dir + "/" + probe->id;
    // Saved files are for attaching to a task: secrets the crawler knows (the
    // session cookie, a password a page echoes) are replaced in both.
    if (auto w = WriteFileAtomically(base + ".headers", Redact(EvidenceHeadersText(out.http_status, headers, {}))); !w)
      return ReportError(w.error());
    RedactInPlace(body);
    if (auto w = WriteFileAtomically(base + ".body", body); !w) return ReportError(w.error());
    fmt::print("saved {0}.headers and {0}.body; classify them again offline with:\n"
               "  crawler classify {0}.body --kind {1} --headers {0}.headers{2}\n",
               base, PageKindName(probe->kind), probe->expect_user.empty() ? "" : " --expect-user " + probe->expect_user);
  }
  if (IsProductFailure(c.verdict, targets.crawl.warnings_fail)) return 1;
  return IsToolFailure(c.verdict) ? 2 : 0;
}

}  // namespace

void AddReproCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "repro", "Fetch one probe of a run again, logged in as the run was: status, verdict, and --save headers and body");
  auto o = std::make_shared<ReproOptions>();
  cmd->add_option("probe", o->probe_id, "Probe id (pages.jsonl \"id\", summary.md, report.html)")->required();
  cmd->add_option("--run", o->run, "The run whose targets to use: a run id or 'latest' (default)");
  cmd->add_option("--results", o->results_dir, "Results root (default: results)");
  cmd->add_option("--save", o->save_dir, "Directory for PROBE_ID.headers and PROBE_ID.body (cookies redacted)");
  cmd->callback([o, &exit_code] { exit_code = Repro(*o); });
}

}  // namespace bc
