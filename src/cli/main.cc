// crawler: the one place argv is read. Each subcommand lives in its own
// src/cli/*_command.cc and registers itself on the CLI11 app; main turns an
// Error into one line on stderr and an exit code.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"beta-crawler: load every ORES-affected special page on every wiki and report what broke"};
  app.set_version_flag("--version", std::string("beta-crawler ") + BC_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  bc::RegisterCommands(app, exit_code);
  try {
    app.parse(argc, argv);
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
