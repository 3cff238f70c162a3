// crawler: the one place argv is read. Each subcommand lives in its own
// src/cli/*_command.cc and registers itself on the CLI11 app; main turns an
// Error into one line on stderr and an exit code, and a mistyped command or
// option into "did you mean ...?" (exit 2), like git and cargo.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <malloc.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/suggest.h"

namespace {

std::vector<std::string> CommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

// The subcommand of `app` called `name`, or nullptr (CLI11 2.3 throws instead).
CLI::App* FindCommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

// The first argument naming a subcommand of `app`, or nullptr.
CLI::App* CommandIn(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (argv[i][0] != '-') return FindCommand(app, argv[i]);
  return nullptr;
}

// An option `cmd` does not know, as typed ("--fial-fast"), or "". `shown`
// gets the options help shows: the ones to suggest (an old name, hidden, is
// known but never suggested).
std::string UnknownOption(const CLI::App& cmd, int argc, char** argv, std::vector<std::string>& shown) {
  std::vector<std::string> known;
  for (const CLI::Option* o : cmd.get_options()) {
    for (const std::string& l : o->get_lnames()) known.push_back("--" + l);
    for (const std::string& s : o->get_snames()) known.push_back("-" + s);
    if (o->get_group().empty()) continue;
    for (const std::string& l : o->get_lnames()) shown.push_back("--" + l);
    for (const std::string& s : o->get_snames()) shown.push_back("-" + s);
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-' || (arg[1] >= '0' && arg[1] <= '9')) continue;
    const std::string name(arg.substr(0, arg.find('=')));
    if (std::find(known.begin(), known.end(), name) == known.end() && name != "--help" && name != "-h") return name;
  }
  return {};
}

// CLI11's help text for `cmd` as `crawler help` shows it (App::help() would
// describe the subcommand being run, `help` itself).
std::string HelpText(CLI::App& cmd, const std::string& usage_name) {
  return cmd.get_formatter()->make_help(&cmd, usage_name, CLI::AppFormatMode::Normal);
}

int UnknownCommand(const CLI::App& app, const std::string& typed) {
  const std::string near = bc::NearestName(typed, CommandNames(app));
  std::fprintf(stderr, "crawler: '%s' is not a crawler command.%s\n", typed.c_str(),
               near.empty() ? "" : fmt::format(" Did you mean '{}'?", near).c_str());
  std::fprintf(stderr, "commands: %s (crawler help COMMAND)\n", fmt::format("{}", fmt::join(CommandNames(app), ", ")).c_str());
  return 2;
}

// glibc's malloc, set for a process that streams pages: every fetched page
// passes through buffers of its size (the evidence capture is sized from
// Content-Length: 185 KB for a RecentChanges page). By default glibc adapts:
// blocks over 128 KB come from mmap until one is freed, and the heap's top is
// given back to the kernel once 2x that is free. With 32 pages in flight the
// top is freed and regrown all the time, so each page's capture landed in
// fresh memory: page faults plus their zeroing were ~40% of the crawler's CPU
// (perf, bench pages; 28,700 page faults for 5,000 pages, 3,900 with these).
// Fixed thresholds keep page-sized blocks in the heap for reuse; blocks of
// 1 MiB and up (16 MB API answers, capped 50 MB pages) still come from mmap
// and go back to the kernel when freed, so peak RSS is what is in use.
void TuneMallocForStreaming() {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  TuneMallocForStreaming();
  CLI::App app{"beta-crawler: load every ORES-affected special page on every wiki and report what broke", "crawler"};
  const std::string version = std::string("beta-crawler ") + BC_VERSION;
  app.set_version_flag("--version", version);
  app.require_subcommand(1);
  int exit_code = 0;
  bc::RegisterCommands(app, exit_code);

  // help [COMMAND] and version: the words people type before they find the flags.
  auto help_topic = std::make_shared<std::string>();
  auto* help = app.add_subcommand("help", "Show the commands, or one command's options: crawler help run");
  help->add_option("command", *help_topic, "A command");
  help->callback([&app, help_topic, &exit_code] {
    if (help_topic->empty()) {
      std::fputs(HelpText(app, "crawler").c_str(), stdout);
      exit_code = 0;
    } else if (CLI::App* sub = FindCommand(app, *help_topic); sub != nullptr) {
      std::fputs(HelpText(*sub, "crawler " + sub->get_name()).c_str(), stdout);
      exit_code = 0;
    } else {
      exit_code = UnknownCommand(app, *help_topic);
    }
  });
  app.add_subcommand("version", "Print the version")->callback([&version, &exit_code] {
    std::printf("%s\n", version.c_str());
    exit_code = 0;
  });

  if (argc < 2) {  // no command: the overview, and an error (nothing was done)
    std::fputs(HelpText(app, "crawler").c_str(), stderr);
    return 2;
  }
  if (argv[1][0] != '-' && FindCommand(app, argv[1]) == nullptr) return UnknownCommand(app, argv[1]);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    CLI::App* cmd = CommandIn(app, argc, argv);
    std::vector<std::string> known;
    const std::string unknown = UnknownOption(cmd ? *cmd : app, argc, argv, known);
    if (unknown.empty()) return app.exit(e) == 0 ? 0 : 2;
    const std::string near = bc::NearestName(unknown, known);
    const std::string where = cmd ? "crawler " + cmd->get_name() : std::string("crawler");
    std::fprintf(stderr, "%s: unknown option '%s'.%s\n", where.c_str(), unknown.c_str(),
                 near.empty() ? "" : fmt::format(" Did you mean '{}'?", near).c_str());
    std::fprintf(stderr, "(crawler help%s lists the options)\n", cmd ? (" " + cmd->get_name()).c_str() : "");
    return 2;
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with exit code 0.
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crawler: internal error: %s\n", e.what());
    return 2;
  }
  return exit_code;
}
