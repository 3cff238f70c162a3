#include "report/evidence.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/redact.h"
#include "core/text.h"
#include "report/run_dir.h"

namespace bc {

namespace fs = std::filesystem;

std::string EvidenceDir(const std::string& run_dir) { return (fs::path(run_dir) / "evidence").string(); }
std::string EvidenceStagingDir(const std::string& run_dir) { return (fs::path(run_dir) / "evidence" / ".staging").string(); }

std::string EvidenceGroupDir(size_t number, const FailureGroup& group) {
  std::string slug;
  for (const char c : group.key) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (word) slug.push_back(c);
    else if (!slug.empty() && slug.back() != '-') slug.push_back('-');
    if (slug.size() >= 40) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  std::string dir = fmt::format("{:02}-{}", number, VerdictName(group.verdict));
  if (!group.known_task.empty()) dir += "-known";
  if (group.flaky) dir += "-flaky";
  if (!slug.empty()) dir += "-" + slug;
  return dir;
}

std::string EvidenceHeadersText(long status, const std::vector<std::pair<std::string, std::string>>& headers,
                                const std::vector<std::pair<std::string, std::string>>& notes) {
  std::string out = fmt::format("HTTP/1.1 {}\r\n", status);
  for (const auto& [name, value] : headers) {
    if (name == "set-cookie") {
      // The value never; the name says which cookie the wiki set. Spelt so
      // that the one redaction step (core/redact.h rule 3) leaves it whole:
      // "NAME=(...)" lost the name to it.
      const size_t eq = value.find('=');
      const std::string_view cookie = TrimAsciiSpace(std::string_view(value).substr(0, eq));
      if (eq == std::string::npos || cookie.empty()) out += fmt::format("{}: {}\r\n", name, kRedacted);
      else out += fmt::format("{}: {} (a cookie named {})\r\n", name, kRedacted, cookie);
    } else {
      out += fmt::format("{}: {}\r\n", name, value);
    }
  }
  for (const auto& [name, value] : notes) out += fmt::format("x-beta-crawler-{}: {}\r\n", name, value);
  return out + "\r\n";
}

Result<void> WriteStagedEvidence(const std::string& staging_dir, const Probe& probe, const std::string& headers_text,
                                 std::string body) {
  std::error_code ec;
  fs::create_directories(staging_dir, ec);
  if (ec) return std::unexpected(Error{Error::Code::kIo, "cannot create the evidence directory: " + ec.message(), staging_dir});
  const std::string base = (fs::path(staging_dir) / probe.id.str()).string();
  // The same redaction as every other output: a page that echoed the session
  // cookie or the password is saved with [redacted] in their place.
  if (auto w = WriteFileAtomically(base + ".headers", Redact(headers_text)); !w) return w;
  RedactInPlace(body);
  return WriteFileAtomically(base + ".body", body);
}

Result<void> SelectEvidence(const std::string& run_dir, const ResultList& results, RunInfo& info) {
  const fs::path staging = EvidenceStagingDir(run_dir);
  const fs::path root = EvidenceDir(run_dir);
  std::error_code ec;
  Result<void> first;
  if (fs::is_directory(staging, ec) && info.evidence_per_group > 0) {
    const std::vector<FailureGroup>& groups = info.groups;
    for (size_t i = 0; i < groups.size(); ++i) {
      const std::string dir = EvidenceGroupDir(i + 1, groups[i]);
      std::vector<std::string> kept;
      for (const size_t m : groups[i].members) {
        if (kept.size() >= static_cast<size_t>(info.evidence_per_group)) break;
        const std::string id = results.ProbeAt(m).id.str();
        const fs::path body = staging / (id + ".body");
        if (!fs::exists(body, ec)) continue;
        fs::create_directories(root / dir, ec);
        if (!ec) fs::rename(staging / (id + ".headers"), root / dir / (id + ".headers"), ec);
        if (!ec) fs::rename(body, root / dir / (id + ".body"), ec);
        if (ec) {
          if (first) first = std::unexpected(Error{Error::Code::kIo, "cannot save evidence: " + ec.message(), (root / dir).string()});
          ec.clear();
          continue;
        }
        kept.push_back(id);
      }
      if (!kept.empty()) info.evidence[dir] = std::move(kept);
    }
  }
  // The rest was staged for groups that had enough already.
  fs::remove_all(staging, ec);
  if (fs::is_directory(root, ec) && fs::is_empty(root, ec)) fs::remove(root, ec);
  return first;
}

std::vector<EvidenceFile> EvidenceOf(const RunInfo& info, size_t number, const FailureGroup& group) {
  std::vector<EvidenceFile> out;
  const std::string dir = EvidenceGroupDir(number, group);
  auto it = info.evidence.find(dir);
  if (it == info.evidence.end()) return out;
  for (const std::string& id : it->second) {
    const std::string base = "evidence/" + dir + "/" + id;
    out.push_back({id, base + ".body", base + ".headers"});
  }
  return out;
}

}  // namespace bc
