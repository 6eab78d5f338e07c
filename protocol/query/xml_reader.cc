#include "protocol/query/xml_reader.h"

#include <cctype>
#include <cstdlib>

namespace edastack::xml {
namespace {

std::string DecodeEntities(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string::npos) {
      out.push_back('&');
      continue;
    }
    std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out.push_back('&');
    else if (ent == "lt") out.push_back('<');
    else if (ent == "gt") out.push_back('>');
    else if (ent == "quot") out.push_back('"');
    else if (ent == "apos") out.push_back('\'');
    else if (!ent.empty() && ent[0] == '#') {
      long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X')
                    ? std::strtol(ent.c_str() + 2, nullptr, 16)
                    : std::strtol(ent.c_str() + 1, nullptr, 10);
      if (cp < 0x80) out.push_back(static_cast<char>(cp));
      else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    } else {
      out += "&" + ent + ";";
    }
    i = semi;
  }
  return out;
}

std::string LocalName(const std::string& qname) {
  size_t colon = qname.find(':');
  return colon == std::string::npos ? qname : qname.substr(colon + 1);
}

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  bool ParseDocument(Node* root, std::string* err) {
    SkipProlog();
    if (pos_ >= s_.size() || s_[pos_] != '<') return Fail(err, "no root element");
    if (!ParseElement(root, err, 0)) return false;
    SkipMisc();
    return true;
  }

 private:
  bool Fail(std::string* err, const std::string& msg) {
    if (err) *err = msg;
    return false;
  }
  void SkipWs() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void SkipMisc() {
    while (true) {
      SkipWs();
      if (s_.compare(pos_, 4, "<!--") == 0) {
        size_t e = s_.find("-->", pos_);
        pos_ = e == std::string::npos ? s_.size() : e + 3;
      } else if (s_.compare(pos_, 2, "<?") == 0) {
        size_t e = s_.find("?>", pos_);
        pos_ = e == std::string::npos ? s_.size() : e + 2;
      } else {
        return;
      }
    }
  }
  void SkipProlog() {
    SkipMisc();
    if (s_.compare(pos_, 9, "<!DOCTYPE") == 0) {
      size_t e = s_.find('>', pos_);
      pos_ = e == std::string::npos ? s_.size() : e + 1;
      SkipMisc();
    }
  }
  std::string ReadName() {
    size_t b = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           s_[pos_] != '>' && s_[pos_] != '/' && s_[pos_] != '=')
      ++pos_;
    return s_.substr(b, pos_ - b);
  }

  bool ParseElement(Node* node, std::string* err, int depth) {
    if (depth > 100) return Fail(err, "too deep");
    ++pos_;  // '<'
    node->name = LocalName(ReadName());
    if (node->name.empty()) return Fail(err, "empty element name");
    while (true) {
      SkipWs();
      if (pos_ >= s_.size()) return Fail(err, "unterminated start tag");
      if (s_[pos_] == '/') {
        if (s_.compare(pos_, 2, "/>") != 0) return Fail(err, "bad empty tag");
        pos_ += 2;
        return true;
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string an = ReadName();
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != '=') return Fail(err, "attribute without value");
      ++pos_;
      SkipWs();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) return Fail(err, "bad attr");
      char q = s_[pos_++];
      size_t e = s_.find(q, pos_);
      if (e == std::string::npos) return Fail(err, "unterminated attribute");
      node->attrs.emplace_back(an, DecodeEntities(s_.substr(pos_, e - pos_)));
      pos_ = e + 1;
    }
    std::string text;
    while (true) {
      size_t lt = s_.find('<', pos_);
      if (lt == std::string::npos) return Fail(err, "unterminated element " + node->name);
      text += s_.substr(pos_, lt - pos_);
      pos_ = lt;
      if (s_.compare(pos_, 9, "<![CDATA[") == 0) {
        size_t e = s_.find("]]>", pos_);
        if (e == std::string::npos) return Fail(err, "unterminated CDATA");
        node->text += DecodeEntities(text) + s_.substr(pos_ + 9, e - pos_ - 9);
        text.clear();
        pos_ = e + 3;
        continue;
      }
      if (s_.compare(pos_, 4, "<!--") == 0) {
        size_t e = s_.find("-->", pos_);
        if (e == std::string::npos) return Fail(err, "unterminated comment");
        pos_ = e + 3;
        continue;
      }
      if (s_.compare(pos_, 2, "</") == 0) {
        pos_ += 2;
        std::string close = LocalName(ReadName());
        SkipWs();
        if (close != node->name || pos_ >= s_.size() || s_[pos_] != '>')
          return Fail(err, "mismatched end tag </" + close + "> for <" + node->name + ">");
        ++pos_;
        node->text += DecodeEntities(text);
        return true;
      }
      node->children.emplace_back();
      if (!ParseElement(&node->children.back(), err, depth + 1)) return false;
    }
  }

  const std::string& s_;
  size_t pos_ = 0;
};

}  // namespace

const Node* Node::Child(const std::string& n) const {
  for (const auto& c : children)
    if (c.name == n) return &c;
  return nullptr;
}

std::vector<const Node*> Node::Children(const std::string& n) const {
  std::vector<const Node*> out;
  for (const auto& c : children)
    if (c.name == n) out.push_back(&c);
  return out;
}

std::string Node::ChildText(const std::string& n, const std::string& dflt) const {
  const Node* c = Child(n);
  return c ? c->text : dflt;
}

const Node* Node::Find(const std::string& n) const {
  if (name == n) return this;
  for (const auto& c : children)
    if (const Node* f = c.Find(n)) return f;
  return nullptr;
}

void Node::FindAll(const std::string& n, std::vector<const Node*>* out) const {
  if (name == n) out->push_back(this);
  for (const auto& c : children) c.FindAll(n, out);
}

std::optional<Node> Parse(const std::string& text, std::string* error) {
  Node root;
  Parser p(text);
  if (!p.ParseDocument(&root, error)) return std::nullopt;
  return root;
}

}  // namespace edastack::xml
