#include "emulator/dynamodb/expr/evaluator.h"

#include <map>

#include "emulator/dynamodb/attribute_value.h"

namespace edastack::dynamodb::expr {
namespace {

std::optional<Json> Value(const Operand& o, const Json& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      const Json* v = Resolve(item, o.path);
      if (!v) return std::nullopt;
      return *v;
    }
    case Operand::Kind::kSize: {
      const Json* v = Resolve(item, o.path);
      if (!v) return std::nullopt;
      std::string t = TypeOf(*v);
      const Json& x = v->begin().value();
      size_t n;
      if (t == "S") n = x.get_ref<const std::string&>().size();
      else if (t == "B") n = BinaryBytes(*v).size();
      else if (t == "SS" || t == "NS" || t == "BS" || t == "L" || t == "M") n = x.size();
      else return std::nullopt;
      return Json{{"N", std::to_string(n)}};
    }
    default:
      return std::nullopt;
  }
}

bool Compare(const std::string& op, const Json& a, const Json& b) {
  if (op == "=") return ValuesEqual(a, b);
  if (op == "<>") return !ValuesEqual(a, b);
  auto c = CompareScalars(a, b);
  if (!c) return false;
  if (op == "<") return *c < 0;
  if (op == "<=") return *c <= 0;
  if (op == ">") return *c > 0;
  return *c >= 0;
}

bool Function(const Condition& c, const Json& item) {
  const Json* target = Resolve(item, c.operands[0].path);
  if (c.op == "attribute_exists") return target != nullptr;
  if (c.op == "attribute_not_exists") return target == nullptr;
  if (!target) return false;
  auto arg = Value(c.operands[1], item);
  if (!arg) return false;
  std::string tt = TypeOf(*target), at = TypeOf(*arg);
  if (c.op == "attribute_type") return at == "S" && (*arg)["S"].get<std::string>() == tt;
  if (c.op == "begins_with") {
    if (tt != at) return false;
    if (tt == "S") {
      const std::string& s = (*target)["S"].get_ref<const std::string&>();
      const std::string& p = (*arg)["S"].get_ref<const std::string&>();
      return s.compare(0, p.size(), p) == 0 && s.size() >= p.size();
    }
    if (tt == "B") {
      std::string s = BinaryBytes(*target), p = BinaryBytes(*arg);
      return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
    }
    return false;
  }
  if (c.op == "contains") {
    const Json& x = target->begin().value();
    if (tt == "S" && at == "S")
      return x.get_ref<const std::string&>().find((*arg)["S"].get_ref<const std::string&>()) !=
             std::string::npos;
    if (tt == "B" && at == "B") return BinaryBytes(*target).find(BinaryBytes(*arg)) != std::string::npos;
    if ((tt == "SS" || tt == "NS" || tt == "BS") && at == tt.substr(0, 1)) {
      for (const auto& m : x)
        if (ValuesEqual(Json{{at, m}}, *arg)) return true;
      return false;
    }
    if (tt == "L") {
      for (const auto& m : x)
        if (ValuesEqual(m, *arg)) return true;
    }
    return false;
  }
  return false;
}

}  // namespace

const Json* Resolve(const Json& item, const Path& path) {
  const Json* cur = &item;
  bool top = true;
  for (const auto& e : path.elems) {
    if (top) {
      if (e.is_index || !cur->is_object()) return nullptr;
      auto it = cur->find(e.name);
      if (it == cur->end()) return nullptr;
      cur = &*it;
      top = false;
      continue;
    }
    std::string t = TypeOf(*cur);
    if (e.is_index) {
      if (t != "L") return nullptr;
      const Json& l = (*cur)["L"];
      if (e.index >= l.size()) return nullptr;
      cur = &l[e.index];
    } else {
      if (t != "M") return nullptr;
      const Json& m = (*cur)["M"];
      auto it = m.find(e.name);
      if (it == m.end()) return nullptr;
      cur = &*it;
    }
  }
  return cur;
}

bool Evaluate(const Condition& c, const Json& item) {
  switch (c.kind) {
    case Condition::Kind::kAnd:
      return Evaluate(c.children[0], item) && Evaluate(c.children[1], item);
    case Condition::Kind::kOr:
      return Evaluate(c.children[0], item) || Evaluate(c.children[1], item);
    case Condition::Kind::kNot:
      return !Evaluate(c.children[0], item);
    case Condition::Kind::kFunction:
      return Function(c, item);
    case Condition::Kind::kCompare: {
      auto a = Value(c.operands[0], item);
      auto b = Value(c.operands[1], item);
      if (!a || !b) return c.op == "<>" && (a.has_value() != b.has_value());
      return Compare(c.op, *a, *b);
    }
    case Condition::Kind::kBetween: {
      auto a = Value(c.operands[0], item);
      auto lo = Value(c.operands[1], item);
      auto hi = Value(c.operands[2], item);
      if (!a || !lo || !hi) return false;
      auto x = CompareScalars(*a, *lo), y = CompareScalars(*a, *hi);
      return x && y && *x >= 0 && *y <= 0;
    }
    case Condition::Kind::kIn: {
      auto a = Value(c.operands[0], item);
      if (!a) return false;
      for (size_t i = 1; i < c.operands.size(); ++i) {
        auto v = Value(c.operands[i], item);
        if (v && ValuesEqual(*a, *v)) return true;
      }
      return false;
    }
  }
  return false;
}

namespace {

// Copies the value at path[depth..] from `src` (a value) into `dst` (a value of the same
// container type, created on demand).
void ProjectInto(const Json& src, const Path& path, size_t depth, Json& dst) {
  if (depth == path.elems.size()) {
    dst = src;
    return;
  }
  const PathElem& e = path.elems[depth];
  std::string t = TypeOf(src);
  if (e.is_index) {
    if (t != "L" || e.index >= src["L"].size()) return;
    if (!dst.is_object() || !dst.contains("L")) dst = Json{{"L", Json::array()}};
    // Lists keep projected elements in index order; remember their source index.
    Json& l = dst["L"];
    Json child;
    ProjectInto(src["L"][e.index], path, depth + 1, child);
    if (child.is_null()) return;
    l.push_back(Json{{"__idx", e.index}, {"v", child}});
  } else {
    if (t != "M" || !src["M"].contains(e.name)) return;
    if (!dst.is_object() || !dst.contains("M")) dst = Json{{"M", Json::object()}};
    Json& slot = dst["M"][e.name];
    ProjectInto(src["M"][e.name], path, depth + 1, slot);
    if (slot.is_null()) dst["M"].erase(e.name);
  }
}

// Replaces the {"__idx","v"} placeholders by the values, merging repeated indexes.
void Finish(Json& v) {
  if (!v.is_object()) return;
  if (v.contains("L")) {
    Json& l = v["L"];
    bool marked = !l.empty() && l[0].is_object() && l[0].contains("__idx");
    if (marked) {
      std::map<size_t, Json> by_index;
      for (auto& e : l) {
        size_t i = e["__idx"].get<size_t>();
        Json& slot = by_index[i];
        if (slot.is_null()) slot = e["v"];
        else if (slot.contains("M") && e["v"].contains("M"))
          for (auto it = e["v"]["M"].begin(); it != e["v"]["M"].end(); ++it)
            slot["M"][it.key()] = it.value();
        else if (slot.contains("L") && e["v"].contains("L"))
          for (auto& x : e["v"]["L"]) slot["L"].push_back(x);
      }
      l = Json::array();
      for (auto& kv : by_index) l.push_back(kv.second);
    }
    for (auto& e : l) Finish(e);
  } else if (v.contains("M")) {
    for (auto it = v["M"].begin(); it != v["M"].end(); ++it) Finish(it.value());
  }
}

}  // namespace

Json Project(const Json& item, const std::vector<Path>& paths) {
  Json out = Json::object();
  for (const auto& p : paths) {
    if (p.elems.empty() || p.elems[0].is_index) continue;
    auto it = item.find(p.elems[0].name);
    if (it == item.end()) continue;
    Json& slot = out[p.elems[0].name];
    ProjectInto(*it, p, 1, slot);
    if (slot.is_null()) out.erase(p.elems[0].name);
  }
  for (auto it = out.begin(); it != out.end(); ++it) Finish(it.value());
  return out;
}

}  // namespace edastack::dynamodb::expr
