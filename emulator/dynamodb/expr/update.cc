// UpdateExpression application (SET / REMOVE / ADD / DELETE), part of evaluator.h.
#include <algorithm>

#include "emulator/dynamodb/attribute_value.h"
#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/expr/evaluator.h"
#include "emulator/dynamodb/number.h"

namespace edastack::dynamodb::expr {
namespace {

AwsError BadPath() {
  return errors::Validation("The document path provided in the update expression is invalid for update");
}
AwsError BadType() {
  return errors::Validation("An operand in the update expression has an incorrect data type");
}
AwsError Missing() {
  return errors::Validation("The provided expression refers to an attribute that does not exist in the item");
}

Result<Json> Eval(const Operand& o, const Json& item) {
  switch (o.kind) {
    case Operand::Kind::kValue:
      return o.value;
    case Operand::Kind::kPath: {
      const Json* v = Resolve(item, o.path);
      if (!v) return Missing();
      return *v;
    }
    case Operand::Kind::kIfNotExists: {
      const Json* v = Resolve(item, o.path);
      if (v) return *v;
      return Eval(o.args[0], item);
    }
    case Operand::Kind::kListAppend: {
      EDA_ASSIGN_OR_RETURN(Json a, Eval(o.args[0], item));
      EDA_ASSIGN_OR_RETURN(Json b, Eval(o.args[1], item));
      if (TypeOf(a) != "L" || TypeOf(b) != "L") return BadType();
      for (auto& x : b["L"]) a["L"].push_back(x);
      return a;
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      EDA_ASSIGN_OR_RETURN(Json a, Eval(o.args[0], item));
      EDA_ASSIGN_OR_RETURN(Json b, Eval(o.args[1], item));
      if (TypeOf(a) != "N" || TypeOf(b) != "N") return BadType();
      EDA_ASSIGN_OR_RETURN(Decimal x, Decimal::Parse(a["N"].get<std::string>()));
      EDA_ASSIGN_OR_RETURN(Decimal y, Decimal::Parse(b["N"].get<std::string>()));
      EDA_ASSIGN_OR_RETURN(Decimal r, o.kind == Operand::Kind::kPlus ? Decimal::Add(x, y)
                                                                     : Decimal::Sub(x, y));
      return Json{{"N", r.ToString()}};
    }
    default:
      return BadType();
  }
}

// The container value that holds path's last element, or nullptr.
Json* Parent(Json& item, const Path& path) {
  if (path.elems.size() == 1) return nullptr;
  Path parent;
  parent.elems.assign(path.elems.begin(), path.elems.end() - 1);
  return const_cast<Json*>(Resolve(item, parent));
}

Status Write(Json& item, const Path& path, Json value) {
  const PathElem& last = path.elems.back();
  if (path.elems.size() == 1) {
    if (last.is_index) return BadPath();
    item[last.name] = std::move(value);
    return OkStatus();
  }
  Json* parent = Parent(item, path);
  if (!parent) return BadPath();
  std::string t = TypeOf(*parent);
  if (last.is_index) {
    if (t != "L") return BadPath();
    Json& l = (*parent)["L"];
    if (last.index >= l.size()) l.push_back(std::move(value));
    else l[last.index] = std::move(value);
  } else {
    if (t != "M") return BadPath();
    (*parent)["M"][last.name] = std::move(value);
  }
  return OkStatus();
}

Status Remove(Json& item, const Path& path) {
  const PathElem& last = path.elems.back();
  if (path.elems.size() == 1) {
    item.erase(last.name);
    return OkStatus();
  }
  Json* parent = Parent(item, path);
  if (!parent) return OkStatus();
  std::string t = TypeOf(*parent);
  if (last.is_index) {
    if (t != "L") return BadPath();
    Json& l = (*parent)["L"];
    if (last.index < l.size()) l.erase(l.begin() + static_cast<long>(last.index));
  } else {
    if (t != "M") return BadPath();
    (*parent)["M"].erase(last.name);
  }
  return OkStatus();
}

Result<Json> AddValue(const Json* current, const Json& v) {
  std::string vt = TypeOf(v);
  if (!current) return v;
  std::string ct = TypeOf(*current);
  if (ct != vt) return BadType();
  if (vt == "N") {
    EDA_ASSIGN_OR_RETURN(Decimal x, Decimal::Parse((*current)["N"].get<std::string>()));
    EDA_ASSIGN_OR_RETURN(Decimal y, Decimal::Parse(v["N"].get<std::string>()));
    EDA_ASSIGN_OR_RETURN(Decimal r, Decimal::Add(x, y));
    return Json{{"N", r.ToString()}};
  }
  Json out = *current;
  std::string mt = vt.substr(0, 1);
  for (const auto& m : v[vt]) {
    bool present = false;
    for (const auto& e : out[vt]) present = present || ValuesEqual(Json{{mt, e}}, Json{{mt, m}});
    if (!present) out[vt].push_back(m);
  }
  return out;
}

Result<std::optional<Json>> DeleteValue(const Json* current, const Json& v) {
  if (!current) return std::optional<Json>();
  std::string vt = TypeOf(v), ct = TypeOf(*current);
  if (ct != vt) return BadType();
  std::string mt = vt.substr(0, 1);
  Json kept = Json::array();
  for (const auto& e : (*current)[ct]) {
    bool drop = false;
    for (const auto& m : v[vt]) drop = drop || ValuesEqual(Json{{mt, e}}, Json{{mt, m}});
    if (!drop) kept.push_back(e);
  }
  if (kept.empty()) return std::optional<Json>(Json());  // null: remove the attribute
  return std::optional<Json>(Json{{ct, kept}});
}

}  // namespace

Status ApplyUpdate(const UpdateExpression& u, Json& item, std::vector<Path>* touched) {
  const Json original = item;
  struct Pending {
    const UpdateAction* action;
    std::optional<Json> value;  // nullopt: no-op; null json: remove
    bool remove = false;
  };
  std::vector<Pending> pending;
  for (const auto& a : u.actions) {
    Pending p{&a, std::nullopt, false};
    const Json* current = Resolve(original, a.path);
    switch (a.kind) {
      case UpdateAction::Kind::kSet: {
        EDA_ASSIGN_OR_RETURN(Json v, Eval(a.value, original));
        p.value = std::move(v);
        break;
      }
      case UpdateAction::Kind::kRemove:
        p.remove = true;
        break;
      case UpdateAction::Kind::kAdd: {
        EDA_ASSIGN_OR_RETURN(Json v, AddValue(current, a.value.value));
        p.value = std::move(v);
        break;
      }
      case UpdateAction::Kind::kDelete: {
        EDA_ASSIGN_OR_RETURN(auto v, DeleteValue(current, a.value.value));
        if (v && v->is_null()) p.remove = true;
        else p.value = std::move(v);
        break;
      }
    }
    pending.push_back(std::move(p));
    if (touched) touched->push_back(a.path);
  }
  // Writes first, then removals with higher list indexes first so indexes stay valid.
  for (auto& p : pending)
    if (!p.remove && p.value) EDA_TRY(Write(item, p.action->path, std::move(*p.value)));
  std::vector<const Pending*> removes;
  for (auto& p : pending)
    if (p.remove) removes.push_back(&p);
  std::stable_sort(removes.begin(), removes.end(), [](const Pending* a, const Pending* b) {
    const auto& x = a->action->path.elems.back();
    const auto& y = b->action->path.elems.back();
    return x.is_index && y.is_index && x.index > y.index;
  });
  for (const Pending* p : removes) EDA_TRY(Remove(item, p->action->path));
  return OkStatus();
}

}  // namespace edastack::dynamodb::expr
