// Subcommand registration. Each Add*Command attaches a CLI11 subcommand whose
// callback runs the command and stores its process exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace bc {

void AddPlanCommand(CLI::App& app, int& exit_code);
void AddRunCommand(CLI::App& app, int& exit_code);
void AddLoginCommand(CLI::App& app, int& exit_code);
void AddClassifyCommand(CLI::App& app, int& exit_code);  // src/cli/classify_command.cc
void AddWatchCommand(CLI::App& app, int& exit_code);     // src/cli/watch_command.cc
void AddParityCommand(CLI::App& app, int& exit_code);    // src/cli/parity_command.cc
void AddHistoryCommands(CLI::App& app, int& exit_code);  // src/cli/history_command.cc: history, diff, prune
void AddRecheckCommand(CLI::App& app, int& exit_code);   // src/cli/recheck_command.cc
void AddReproCommand(CLI::App& app, int& exit_code);     // src/cli/repro_command.cc
void AddSummaryCommand(CLI::App& app, int& exit_code);   // src/cli/summary_command.cc

// All of the above, in --help order.
inline void RegisterCommands(CLI::App& app, int& exit_code) {
  AddRunCommand(app, exit_code);
  AddPlanCommand(app, exit_code);
  AddLoginCommand(app, exit_code);
  AddWatchCommand(app, exit_code);
  AddClassifyCommand(app, exit_code);
  AddRecheckCommand(app, exit_code);
  AddReproCommand(app, exit_code);
  AddHistoryCommands(app, exit_code);
  AddSummaryCommand(app, exit_code);
  AddParityCommand(app, exit_code);
}

}  // namespace bc
