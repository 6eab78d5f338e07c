// A minimal streaming XML writer for query-protocol and REST-XML responses. Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace edastack::xml {

// Escapes &, <, >, ", ' and \r (as &#xD; so parsers keep it, PROTOCOLS.md §2.8).
std::string Escape(std::string_view text);

class Writer {
 public:
  explicit Writer(bool declaration = false);
  // Opens <name attrs>. `attrs` is raw text such as `xmlns="..."`.
  Writer& Open(std::string_view name, std::string_view attrs = "");
  Writer& Close();
  // <name>escaped text</name>
  Writer& Element(std::string_view name, std::string_view text);
  Writer& Empty(std::string_view name);
  Writer& Raw(std::string_view xml);
  std::string Finish();

 private:
  std::string out_;
  std::vector<std::string> stack_;
};

}  // namespace edastack::xml
