#include "classify/body_parser.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <cstring>

#include "classify/signature.h"

namespace bc {
namespace {

constexpr size_t kBoxTextMax = 4096;

// Thin C callbacks: cast the user pointer once, call the member.
void StartCb(void* user, const xmlChar* name, const xmlChar** attrs) {
  static_cast<BodyParser*>(user)->OnStart(reinterpret_cast<const char*>(name), attrs);
}
void EndCb(void* user, const xmlChar* name) {
  static_cast<BodyParser*>(user)->OnEnd(reinterpret_cast<const char*>(name));
}
void TextCb(void* user, const xmlChar* text, int len) {
  static_cast<BodyParser*>(user)->OnText(
      std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(len)));
}
// Script and style bodies arrive here; they carry nothing we classify on.
void IgnoreCb(void*, const xmlChar*, int) {}

bool HasClassToken(std::string_view classes, std::string_view token) {
  size_t at = 0;
  while ((at = classes.find(token, at)) != std::string_view::npos) {
    const bool left = at == 0 || classes[at - 1] == ' ' || classes[at - 1] == '\t';
    const size_t end = at + token.size();
    const bool right = end == classes.size() || classes[end] == ' ' || classes[end] == '\t';
    if (left && right) return true;
    at = end;
  }
  return false;
}

}  // namespace

struct BodyParser::Ctxt {
  htmlParserCtxtPtr ptr = nullptr;
  ~Ctxt() {
    if (ptr) htmlFreeParserCtxt(ptr);
  }
};

BodyParser::BodyParser() : ctxt_(std::make_unique<Ctxt>()) {
  // libxml2 2.9 must be initialised once before threads use it; a function
  // static makes the first call race-free when classifiers run on workers.
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
  htmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.startElement = StartCb;
  sax.endElement = EndCb;
  sax.characters = TextCb;
  sax.ignorableWhitespace = TextCb;
  sax.cdataBlock = IgnoreCb;
  ctxt_->ptr = htmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr, XML_CHAR_ENCODING_UTF8);
  // IGNORE_ENC: MediaWiki always sends UTF-8. A <meta charset> naming another
  // encoding (fuzzer find: "UTF-7") made libxml2 switch decoders at a point
  // that depends on how the body was chunked, then stop on a conversion error
  // before the error box: chunked and whole verdicts differed.
  if (ctxt_->ptr)
    htmlCtxtUseOptions(ctxt_->ptr,
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
}

BodyParser::~BodyParser() = default;

void BodyParser::Feed(std::string_view bytes) {
  if (finished_ || !ctxt_->ptr) return;
  // Invalid UTF-8 would make libxml2 read the rest as Latin-1 (core/utf8.h).
  utf8_.Feed(bytes, [this](std::string_view piece) { ParseChunk(piece); });
}

void BodyParser::ParseChunk(std::string_view bytes) {
  // htmlParseChunk takes an int size; feed huge inputs in slices.
  while (!bytes.empty()) {
    const size_t n = std::min<size_t>(bytes.size(), 1 << 20);
    htmlParseChunk(ctxt_->ptr, bytes.data(), static_cast<int>(n), 0);
    bytes.remove_prefix(n);
  }
}

void BodyParser::Finish() {
  if (finished_) return;
  finished_ = true;
  if (ctxt_->ptr) {
    utf8_.Finish([this](std::string_view piece) { ParseChunk(piece); });
    htmlParseChunk(ctxt_->ptr, nullptr, 0, 1);
  }
  if (box_depth_ >= 0) box_depth_ = -1;
  facts_.first_heading = SafeExcerpt(facts_.first_heading, 300);
}

void BodyParser::OnStart(std::string_view name, const unsigned char** attrs) {
  ++depth_;
  std::string_view id, cls;
  for (const unsigned char** a = attrs; a && a[0]; a += 2) {
    const std::string_view key = reinterpret_cast<const char*>(a[0]);
    const std::string_view value = a[1] ? reinterpret_cast<const char*>(a[1]) : "";
    if (key == "id") id = value;
    else if (key == "class") cls = value;
  }
  if (id == "mw-content-text" && !facts_.content_text) {
    facts_.content_text = true;
    content_depth_ = depth_;
  }
  if (name == "h1" && id == "firstHeading" && heading_depth_ < 0) heading_depth_ = depth_;
  if (content_depth_ >= 0) {
    if (name == "form") facts_.form_in_content = true;
    if (name == "p" && depth_ == content_depth_ + 1 && facts_.form_in_content)
      facts_.paragraph_after_form = true;
  }
  if (!cls.empty()) {
    if (!facts_.error_box && !box_done_) {
      for (std::string_view token : {"mw-message-box-error", "errorbox", "cdx-message--error"}) {
        if (HasClassToken(cls, token)) {
          facts_.error_box = true;
          facts_.error_box_class = token;
          box_depth_ = depth_;
          break;
        }
      }
    }
    for (std::string_view token : {"mw-changeslist", "mw-changeslist-empty", "mw-contributions-list", "mw-pager-body"})
      if (HasClassToken(cls, token)) facts_.list_by_class = true;
  }
  if (box_depth_ >= 0 && name == "br") OnText("\n");
}

void BodyParser::OnEnd(std::string_view name) {
  if (box_depth_ >= 0 && name == "p") OnText("\n");
  if (depth_ == box_depth_) {
    box_depth_ = -1;
    box_done_ = true;
  }
  if (depth_ == heading_depth_) heading_depth_ = -1;
  if (depth_ == content_depth_) content_depth_ = -2;  // closed; never reopened
  --depth_;
}

void BodyParser::OnText(std::string_view text) {
  if (box_depth_ >= 0 && facts_.error_box_text.size() < kBoxTextMax)
    facts_.error_box_text.append(text.substr(0, kBoxTextMax - facts_.error_box_text.size()));
  if (heading_depth_ >= 0 && facts_.first_heading.size() < 1200)
    facts_.first_heading.append(text.substr(0, 1200 - facts_.first_heading.size()));
}

}  // namespace bc
