#include "core/memory.h"

#include <fstream>
#include <string>

namespace bc {
namespace {

int64_t StatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':')
      return std::stoll(line.substr(field.size() + 1));  // "VmRSS:\t  1234 kB"
  return 0;
}

}  // namespace

int64_t ResidentKb() { return StatusKb("VmRSS"); }
int64_t PeakResidentKb() { return StatusKb("VmHWM"); }

}  // namespace bc
