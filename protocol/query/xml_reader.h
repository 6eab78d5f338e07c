// A small, non-validating XML reader: enough to read AWS query/REST-XML responses and S3
// request documents. Builds a tree; entities are decoded. Not thread-safe per instance.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edastack::xml {

struct Node {
  std::string name;  // local name (namespace prefix stripped)
  std::string text;  // concatenated character data directly inside this element
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<Node> children;

  const Node* Child(const std::string& n) const;
  std::vector<const Node*> Children(const std::string& n) const;
  // Text of the first child named n, or dflt.
  std::string ChildText(const std::string& n, const std::string& dflt = "") const;
  // Depth-first search for the first descendant named n.
  const Node* Find(const std::string& n) const;
  void FindAll(const std::string& n, std::vector<const Node*>* out) const;
};

// Parses a document; nullopt on malformed input (with *error set).
std::optional<Node> Parse(const std::string& text, std::string* error = nullptr);

}  // namespace edastack::xml
