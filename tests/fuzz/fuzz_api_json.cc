// libFuzzer target: every parser of api.php answers (login token, clientlogin,
// userinfo, siteinfo, meta=ores, sitematrix, dblist, filter levels from a
// page's wgStructuredChangeFilters). They get what a wiki, a proxy or an
// attacker sends: any bytes must give a value or an Error, never a crash, an
// uncaught exception or a hang.
#include <cstdint>
#include <string_view>

#include "mediawiki/discovery.h"
#include "mediawiki/session.h"
#include "mediawiki/wiki_facts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)bc::ParseLoginToken(body);
  (void)bc::ParseClientLogin(body);
  (void)bc::ParseUserInfo(body);
  (void)bc::ParseSiteInfo(body);
  (void)bc::ParseOresMeta(body);
  (void)bc::ParseSiteMatrix(body);
  (void)bc::ParseDblist(body);
  (void)bc::ParseFilterLevels(body);
  return 0;
}
