// Errors are values at module boundaries (leveldb's Status, ninja's bool+err).
// An Error means the tool could not do its job; a broken wiki page is a
// finding (an Outcome with a verdict), never an Error.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace bc {

struct Error {
  enum class Code {
    kConfig,    // the targets file or a flag is wrong; `where` names file:line:col
    kUsage,     // the command line is wrong
    kIo,        // a local file could not be read or written
    kLogin,     // a wiki refused the login; `where` names the wiki
    kNetwork,   // the crawl itself could not run (e.g. curl could not start)
    kInternal,  // a bug: an invariant did not hold
  };
  Code code = Code::kInternal;
  std::string message;  // what is wrong, and what would be right
  std::string where;    // "FILE:LINE:COL", a wiki dbname, a path; may be empty

  // "where: message", the one line main prints on stderr.
  std::string ToString() const { return where.empty() ? message : where + ": " + message; }
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> Fail(Error::Code code, std::string message, std::string where = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(where)});
}

}  // namespace bc
