#include "emulator/dynamodb/attribute_value.h"

#include <algorithm>
#include <set>

#include "emulator/dynamodb/ddb_errors.h"
#include "emulator/dynamodb/number.h"
#include "protocol/core/crypto.h"

namespace edastack::dynamodb {
namespace {

const char* kTypes[] = {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"};

std::string SetWord(const std::string& t) {
  return t == "SS" ? "string" : (t == "NS" ? "number" : "binary");
}

std::string JoinForMessage(const Json& arr) {
  std::string out = "[";
  for (size_t i = 0; i < arr.size(); ++i) {
    if (i) out += ", ";
    out += arr[i].is_string() ? arr[i].get<std::string>() : arr[i].dump();
  }
  return out + "]";
}

}  // namespace

std::string TypeOf(const Json& v) {
  if (!v.is_object() || v.size() != 1) return "";
  const std::string& k = v.begin().key();
  for (const char* t : kTypes)
    if (k == t) return k;
  return "";
}

Status NormalizeValue(Json& v) {
  if (!v.is_object())
    return errors::Validation("Supplied AttributeValue is not a valid AttributeValue");
  if (v.empty())
    return errors::Validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (v.size() > 1)
    return errors::Validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes");
  std::string t = TypeOf(v);
  Json& x = v.begin().value();
  auto wrong = [&] {
    return errors::Validation("Supplied AttributeValue has an invalid value for type " + t);
  };
  if (t.empty())
    return errors::Validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (t == "S") {
    if (!x.is_string()) return wrong();
  } else if (t == "N") {
    if (!x.is_string()) return wrong();
    EDA_ASSIGN_OR_RETURN(std::string n, NormalizeNumber(x.get<std::string>()));
    x = n;
  } else if (t == "B") {
    if (!x.is_string()) return wrong();
    auto raw = crypto::Base64Decode(x.get<std::string>());
    if (!raw) return errors::Validation("Invalid Base64 value for type B");
    x = crypto::Base64Encode(*raw);
  } else if (t == "SS" || t == "NS" || t == "BS") {
    if (!x.is_array()) return wrong();
    if (x.empty())
      return errors::Validation("One or more parameter values were invalid: An " + SetWord(t) +
                                " set  may not be empty");
    std::set<std::string> seen;
    Json original = x;
    for (auto& m : x) {
      if (!m.is_string()) return wrong();
      std::string key = m.get<std::string>();
      if (t == "NS") {
        EDA_ASSIGN_OR_RETURN(std::string n, NormalizeNumber(key));
        m = n;
        key = n;
      } else if (t == "BS") {
        auto raw = crypto::Base64Decode(key);
        if (!raw) return errors::Validation("Invalid Base64 value for type BS");
        m = crypto::Base64Encode(*raw);
        key = *raw;
      }
      if (!seen.insert(key).second)
        return errors::Validation("One or more parameter values were invalid: Input collection " +
                                  JoinForMessage(original) + " contains duplicates.");
    }
  } else if (t == "M") {
    if (!x.is_object()) return wrong();
    for (auto it = x.begin(); it != x.end(); ++it) EDA_TRY(NormalizeValue(it.value()));
  } else if (t == "L") {
    if (!x.is_array()) return wrong();
    for (auto& m : x) EDA_TRY(NormalizeValue(m));
  } else if (t == "NULL") {
    if (!x.is_boolean() || !x.get<bool>())
      return errors::Validation(
          "One or more parameter values were invalid: Null attribute value types must have the "
          "value of true");
  } else if (t == "BOOL") {
    if (!x.is_boolean()) return wrong();
  }
  return OkStatus();
}

Status NormalizeItem(Json& item) {
  if (!item.is_object()) return errors::Validation("Item must be a map of attribute values");
  for (auto it = item.begin(); it != item.end(); ++it) {
    if (it.key().empty())
      return errors::Validation(
          "One or more parameter values were invalid: An attribute name may not be empty");
    EDA_TRY(NormalizeValue(it.value()));
  }
  return OkStatus();
}

int64_t ValueSize(const Json& v) {
  std::string t = TypeOf(v);
  const Json& x = v.begin().value();
  if (t == "S") return static_cast<int64_t>(x.get_ref<const std::string&>().size());
  if (t == "N") {
    const std::string& s = x.get_ref<const std::string&>();
    int digits = 0;
    for (char c : s)
      if (c >= '0' && c <= '9') ++digits;
    return (digits + 1) / 2 + 1;
  }
  if (t == "B") return static_cast<int64_t>(BinaryBytes(v).size());
  if (t == "SS") {
    int64_t n = 0;
    for (const auto& m : x) n += static_cast<int64_t>(m.get_ref<const std::string&>().size());
    return n;
  }
  if (t == "NS") {
    int64_t n = 0;
    for (const auto& m : x) n += ValueSize(Json{{"N", m}});
    return n;
  }
  if (t == "BS") {
    int64_t n = 0;
    for (const auto& m : x) n += static_cast<int64_t>(crypto::Base64Decode(m.get<std::string>())->size());
    return n;
  }
  if (t == "M") {
    int64_t n = 3;
    for (auto it = x.begin(); it != x.end(); ++it)
      n += static_cast<int64_t>(it.key().size()) + ValueSize(it.value()) + 1;
    return n;
  }
  if (t == "L") {
    int64_t n = 3;
    for (const auto& m : x) n += ValueSize(m) + 1;
    return n;
  }
  return 1;  // NULL, BOOL
}

int64_t ItemSize(const Json& item) {
  int64_t n = 0;
  for (auto it = item.begin(); it != item.end(); ++it)
    n += static_cast<int64_t>(it.key().size()) + ValueSize(it.value());
  return n;
}

std::string BinaryBytes(const Json& v) {
  auto raw = crypto::Base64Decode(v.begin().value().get<std::string>());
  return raw ? *raw : std::string();
}

std::optional<int> CompareScalars(const Json& a, const Json& b) {
  std::string ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb) return std::nullopt;
  if (ta == "S") {
    int c = a["S"].get_ref<const std::string&>().compare(b["S"].get_ref<const std::string&>());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (ta == "N") {
    auto x = Decimal::Parse(a["N"].get<std::string>());
    auto y = Decimal::Parse(b["N"].get<std::string>());
    if (!x.ok() || !y.ok()) return std::nullopt;
    return x->Compare(*y);
  }
  if (ta == "B") {
    int c = BinaryBytes(a).compare(BinaryBytes(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool ValuesEqual(const Json& a, const Json& b) {
  std::string ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb || ta.empty()) return false;
  if (ta == "S" || ta == "N" || ta == "B") return CompareScalars(a, b) == 0;
  const Json& x = a.begin().value();
  const Json& y = b.begin().value();
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    if (x.size() != y.size()) return false;
    std::string mt = ta.substr(0, 1);
    for (const auto& m : x) {
      bool found = false;
      for (const auto& n : y)
        if (ValuesEqual(Json{{mt, m}}, Json{{mt, n}})) {
          found = true;
          break;
        }
      if (!found) return false;
    }
    return true;
  }
  if (ta == "L") {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!ValuesEqual(x[i], y[i])) return false;
    return true;
  }
  if (ta == "M") {
    if (x.size() != y.size()) return false;
    for (auto it = x.begin(); it != x.end(); ++it) {
      auto jt = y.find(it.key());
      if (jt == y.end() || !ValuesEqual(it.value(), jt.value())) return false;
    }
    return true;
  }
  return x == y;  // NULL, BOOL
}

std::string KeyBytes(const Json& v) {
  std::string t = TypeOf(v);
  if (t == "S") return v["S"].get<std::string>();
  if (t == "N") {
    auto d = Decimal::Parse(v["N"].get<std::string>());
    return d.ok() ? d->SortKey() : std::string();
  }
  if (t == "B") return BinaryBytes(v);
  return std::string();
}

}  // namespace edastack::dynamodb
