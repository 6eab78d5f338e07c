#include "protocol/query/xml_writer.h"

namespace edastack::xml {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#xD;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Writer::Writer(bool declaration) {
  if (declaration) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

Writer& Writer::Open(std::string_view name, std::string_view attrs) {
  out_ += '<';
  out_ += name;
  if (!attrs.empty()) {
    out_ += ' ';
    out_ += attrs;
  }
  out_ += '>';
  stack_.emplace_back(name);
  return *this;
}

Writer& Writer::Close() {
  out_ += "</";
  out_ += stack_.back();
  out_ += '>';
  stack_.pop_back();
  return *this;
}

Writer& Writer::Element(std::string_view name, std::string_view text) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  out_ += Escape(text);
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}

Writer& Writer::Empty(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += "/>";
  return *this;
}

Writer& Writer::Raw(std::string_view xml) {
  out_ += xml;
  return *this;
}

std::string Writer::Finish() {
  while (!stack_.empty()) Close();
  return std::move(out_);
}

}  // namespace edastack::xml
