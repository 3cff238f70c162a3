#include "report/run_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/file.h"
#include "report/text_out.h"

namespace bc {
namespace fs = std::filesystem;

namespace {

// The UTC calendar second of `unix_ms`, for fmt's chrono specifiers. Floored,
// so that times before 1970 still format (never expected, but a negative
// clock must not produce garbage).
std::tm UtcTm(int64_t unix_ms) {
  const std::chrono::sys_time<std::chrono::milliseconds> t{std::chrono::milliseconds(unix_ms)};
  return fmt::gmtime(std::chrono::floor<std::chrono::seconds>(t));
}

}  // namespace

std::string MakeRunId(int64_t unix_ms, uint32_t random) {
  return fmt::format("{:%Y%m%dT%H%M%S}Z-{:04x}", UtcTm(unix_ms), random & 0xffffu);
}

std::string MakeRunId() {
  std::random_device rd;
  return MakeRunId(NowUnixMs(), rd());
}

std::string FormatIsoUtc(int64_t unix_ms) {
  const int64_t ms = ((unix_ms % 1000) + 1000) % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", UtcTm(unix_ms), ms);
}

std::string FormatIsoUtcSeconds(int64_t unix_ms) { return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", UtcTm(unix_ms)); }

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsRunId(std::string_view name) {
  // 8 digits, 'T', 6 digits, 'Z', '-', 4 lowercase hex digits.
  if (name.size() != 21) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (i == 8) {
      if (c != 'T') return false;
    } else if (i == 15) {
      if (c != 'Z') return false;
    } else if (i == 16) {
      if (c != '-') return false;
    } else if (i > 16) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

Result<std::string> CreateRunDir(const std::string& results_dir, const std::string& run_id) {
  if (!IsRunId(run_id)) return Fail(Error::Code::kInternal, "not a run id: " + run_id, results_dir);
  std::error_code ec;
  fs::create_directories(results_dir, ec);
  if (ec) return Fail(Error::Code::kIo, "cannot create the results directory: " + ec.message(), results_dir);
  const std::string dir = (fs::path(results_dir) / run_id).string();
  // mkdir (not create_directories) so that an existing directory is an error:
  // two runs must never share one. 0777 less the umask, like every file.
  if (::mkdir(dir.c_str(), 0777) != 0) return std::unexpected(IoError("cannot create the run directory", dir, errno));
  return dir;
}

Result<void> WriteFileAtomically(const std::string& path, std::string_view content) {
  auto out = TextOut::ToFile(path);
  if (!out) return std::unexpected(out.error());
  *out += content;
  return out->Commit();
}

Result<void> UpdateLatestSymlink(const std::string& results_dir, const std::string& run_id) {
  if (!IsRunId(run_id)) return Fail(Error::Code::kInternal, "not a run id: " + run_id, results_dir);
  const std::string link = (fs::path(results_dir) / "latest").string();
  std::random_device rd;
  const std::string tmp = fmt::format("{}.tmp.{}.{:08x}", link, ::getpid(), rd());
  // Relative target: the results directory can be moved or mounted elsewhere.
  if (::symlink(run_id.c_str(), tmp.c_str()) != 0) return std::unexpected(IoError("cannot create a symlink", tmp, errno));
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return std::unexpected(IoError("cannot replace the latest symlink", link, err));
  }
  return {};
}

Result<std::vector<std::string>> ListRunDirs(const std::string& results_dir) {
  std::vector<std::string> runs;
  std::error_code ec;
  fs::directory_iterator it(results_dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return runs;
    return Fail(Error::Code::kIo, "cannot list the results directory: " + ec.message(), results_dir);
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return Fail(Error::Code::kIo, "cannot list the results directory: " + ec.message(), results_dir);
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (IsRunId(name) && it->is_directory(type_ec) && !it->is_symlink(type_ec)) runs.push_back(name);
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

Result<void> RemoveRunDir(const std::string& results_dir, const std::string& run_id) {
  if (!IsRunId(run_id)) return Fail(Error::Code::kUsage, "not a run id: " + run_id, results_dir);
  std::error_code ec;
  const fs::path link = fs::path(results_dir) / "latest";
  if (fs::is_symlink(link, ec) && fs::read_symlink(link, ec).string() == run_id)
    return Fail(Error::Code::kUsage, "refusing to remove the run `latest` points at: " + run_id, results_dir);
  fs::remove_all(fs::path(results_dir) / run_id, ec);
  if (ec) return Fail(Error::Code::kIo, "cannot remove run " + run_id + ": " + ec.message(), results_dir);
  return {};
}

}  // namespace bc
