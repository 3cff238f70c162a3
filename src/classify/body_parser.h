// BodyParser: the structure-aware part of the classifier. A libxml2 HTML push
// parser with SAX callbacks only (no DOM) over the bytes of <body> up to the
// start of the changes/contributions list (the caller decides where to stop).
// It records the few facts that need element structure: the error box and its
// text, h1#firstHeading, #mw-content-text, and whether a Contributions page
// shows its empty-result paragraph.
//
// Lifetime: owns its libxml2 context; Feed() any chunking, then Finish() once
// (Feed after Finish is ignored). Memory: libxml2's input buffer plus at most
// a few KB of collected text. Not thread-safe; movable only via unique_ptr.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/utf8.h"

namespace bc {

struct BodyFacts {
  bool content_text = false;        // an element with id="mw-content-text"
  std::string first_heading;        // text of h1#firstHeading, <= 300 bytes
  bool error_box = false;           // div with class mw-message-box-error / errorbox / cdx-message--error
  std::string error_box_class;      // which of those classes matched
  std::string error_box_text;       // its text, entities decoded; <br> and </p> as '\n'; <= 4096 bytes
  bool form_in_content = false;     // a <form> inside #mw-content-text
  bool paragraph_after_form = false;  // a <p> child of #mw-content-text after that form
                                      // (Special:Contributions' "nocontribs" result, in any language)
  bool list_by_class = false;       // an element with class mw-changeslist / mw-changeslist-empty /
                                    // mw-contributions-list / mw-pager-body
};

class BodyParser {
 public:
  BodyParser();
  ~BodyParser();
  BodyParser(const BodyParser&) = delete;
  BodyParser& operator=(const BodyParser&) = delete;

  void Feed(std::string_view bytes);
  void Finish();
  const BodyFacts& facts() const { return facts_; }

  // libxml2 SAX entry points (called through thin C callbacks).
  void OnStart(std::string_view name, const unsigned char** attrs);
  void OnEnd(std::string_view name);
  void OnText(std::string_view text);

 private:
  void ParseChunk(std::string_view bytes);  // straight to libxml2

  struct Ctxt;
  std::unique_ptr<Ctxt> ctxt_;
  Utf8Repair utf8_;
  BodyFacts facts_;
  int depth_ = 0;
  int content_depth_ = -1;  // depth of #mw-content-text while open
  int heading_depth_ = -1;  // depth of h1#firstHeading while open
  int box_depth_ = -1;      // depth of the first error box while open
  bool box_done_ = false;
  bool finished_ = false;
};

}  // namespace bc
