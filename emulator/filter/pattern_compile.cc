// Validation and compilation of SNS filter policies and EventBridge event patterns.
// Reasons follow AWS's (Event Ruler's) wording where it is known.
#include <cmath>
#include <limits>

#include "emulator/filter/pattern.h"
#include "emulator/filter/pattern_node.h"
#include "protocol/core/strings.h"

namespace edastack::filter {
namespace {

using json = nlohmann::json;

constexpr int kSnsMaxKeys = 5;
constexpr double kSnsMaxCombinations = 150;

AwsError Invalid(Dialect d, const std::string& reason) {
  if (d == Dialect::kEventBridge)
    return MakeError("InvalidEventPatternException",
                     "Event pattern is not valid. Reason: " + reason);
  return MakeError("InvalidParameter", "Invalid parameter: FilterPolicy: " + reason);
}

bool IsEventBridge(Dialect d) { return d == Dialect::kEventBridge; }

// Validates a wildcard pattern: no "**", only \* and \\ as escapes.
Status CheckWildcard(Dialect d, const std::string& p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      if (i + 1 >= p.size() || (p[i + 1] != '*' && p[i + 1] != '\\'))
        return Invalid(d, "Invalid escape character at pos " + std::to_string(i));
      ++i;
    } else if (p[i] == '*' && i + 1 < p.size() && p[i + 1] == '*') {
      return Invalid(d, "Consecutive wildcard characters at pos " + std::to_string(i + 1));
    }
  }
  return OkStatus();
}

class Compiler {
 public:
  explicit Compiler(Dialect d) : d_(d) {}

  // Compiles an object pattern. `depth` 0 is the top level.
  Result<std::shared_ptr<const Pattern::Node>> CompileObject(const json& obj, int depth) {
    if (!obj.is_object()) return Invalid(d_, "Filter is not an object");
    if (obj.empty() && depth > 0) return Invalid(d_, "Empty objects are not allowed");
    auto node = std::make_shared<Pattern::Node>();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      const json& v = it.value();
      if (key == "$or") {
        if (!v.is_array()) return Invalid(d_, "Or relationship must be an array of objects");
        if (v.size() < 2) return Invalid(d_, "Or relationship must have at least two alternatives");
        std::vector<std::shared_ptr<const Pattern::Node>> alts;
        for (const auto& alt : v) {
          if (!alt.is_object() || alt.empty())
            return Invalid(d_, "Or relationship must be an array of objects");
          EDA_ASSIGN_OR_RETURN(auto child, CompileObject(alt, depth + 1));
          alts.push_back(std::move(child));
        }
        node->ors.push_back(std::move(alts));
        continue;
      }
      Pattern::Node::Field field;
      field.key = key;
      if (v.is_object()) {
        if (d_ == Dialect::kSnsAttributes)
          return MakeError("InvalidParameter",
                           "Invalid parameter: Filter policy scope MessageAttributes does not "
                           "support nested filter policy");
        EDA_ASSIGN_OR_RETURN(field.child, CompileObject(v, depth + 1));
      } else if (v.is_array()) {
        if (v.empty()) return Invalid(d_, "Empty arrays are not allowed");
        for (const auto& m : v) {
          EDA_ASSIGN_OR_RETURN(Condition c, CompileMatch(m));
          field.leaf.push_back(std::move(c));
        }
      } else {
        return Invalid(d_, "\"" + key + "\" must be an object or an array");
      }
      node->fields.push_back(std::move(field));
    }
    return std::shared_ptr<const Pattern::Node>(std::move(node));
  }

 private:
  Result<Condition> CompileMatch(const json& m) {
    Condition c;
    if (m.is_string() || m.is_number() || m.is_boolean() || m.is_null()) {
      c.kind = CondKind::kExact;
      c.value = m;
      return c;
    }
    if (!m.is_object())
      return Invalid(d_, "Match value must be String, number, true, false, or null");
    if (m.size() != 1) return Invalid(d_, "Match expression must have exactly one member");
    const std::string& op = m.begin().key();
    const json& arg = m.begin().value();
    if (op == "prefix" || op == "suffix") return CompilePrefixSuffix(op, arg);
    if (op == "equals-ignore-case") {
      if (!arg.is_string()) return Invalid(d_, "equals-ignore-case match pattern must be a string");
      c.kind = CondKind::kEqualsIgnoreCase;
      c.text = str::ToLower(arg.get<std::string>());
      return c;
    }
    if (op == "wildcard" && IsEventBridge(d_)) {
      if (!arg.is_string()) return Invalid(d_, "wildcard match pattern must be a string");
      c.kind = CondKind::kWildcard;
      c.text = arg.get<std::string>();
      EDA_TRY(CheckWildcard(d_, c.text));
      return c;
    }
    if (op == "exists") {
      if (!arg.is_boolean())
        return Invalid(d_, "exists match pattern must be either true or false.");
      c.kind = CondKind::kExists;
      c.exists = arg.get<bool>();
      return c;
    }
    if (op == "numeric") return CompileNumeric(arg);
    if (op == "anything-but") return CompileAnythingBut(arg);
    if (op == "cidr") {
      if (!arg.is_string()) return Invalid(d_, "cidr match pattern must be a string");
      c.kind = CondKind::kCidr;
      std::string text = arg.get<std::string>();
      if (text.find('/') == std::string::npos)
        return Invalid(d_, "Malformed CIDR, one '/' required");
      if (!ParseCidr(text, &c.network)) return Invalid(d_, "Nonstandard IP address: " + text);
      return c;
    }
    return Invalid(d_, "Unrecognized match type " + op);
  }

  Result<Condition> CompilePrefixSuffix(const std::string& op, const json& arg) {
    Condition c;
    c.kind = op == "prefix" ? CondKind::kPrefix : CondKind::kSuffix;
    if (arg.is_string()) {
      c.text = arg.get<std::string>();
      return c;
    }
    if (IsEventBridge(d_) && arg.is_object() && arg.size() == 1 &&
        arg.begin().key() == "equals-ignore-case") {
      if (!arg.begin().value().is_string())
        return Invalid(d_, "equals-ignore-case match pattern must be a string");
      c.ignore_case = true;
      c.text = str::ToLower(arg.begin().value().get<std::string>());
      return c;
    }
    return Invalid(d_, op + " match pattern must be a string");
  }

  Result<Condition> CompileNumeric(const json& arg) {
    Condition c;
    c.kind = CondKind::kNumeric;
    if (!arg.is_array() || arg.empty()) return Invalid(d_, "Value of numeric must be an array.");
    size_t i = 0;
    auto read_value = [&](const std::string& op) -> Result<double> {
      if (i >= arg.size() || !arg[i].is_number())
        return Invalid(d_, "Value of " + op + " must be numeric");
      double v = arg[i++].get<double>();
      if (!IsEventBridge(d_) && std::fabs(v) > 1e9)
        return Invalid(d_, "Value of " + op + " must be between -1.0E9 and 1.0E9 inclusive");
      return v;
    };
    if (!arg[0].is_string())
      return Invalid(d_, "Invalid member in numeric match: " + arg[0].dump());
    std::string op = arg[i++].get<std::string>();
    if (op == "=") {
      EDA_ASSIGN_OR_RETURN(double v, read_value(op));
      c.has_lower = c.has_upper = c.lower_inclusive = c.upper_inclusive = true;
      c.lower = c.upper = v;
    } else if (op == ">" || op == ">=") {
      EDA_ASSIGN_OR_RETURN(double v, read_value(op));
      c.has_lower = true;
      c.lower_inclusive = op == ">=";
      c.lower = v;
      if (i < arg.size()) {
        if (!arg[i].is_string())
          return Invalid(d_, "Invalid member in numeric match: " + arg[i].dump());
        std::string op2 = arg[i++].get<std::string>();
        if (op2 != "<" && op2 != "<=") return Invalid(d_, "Bad numeric range operator: " + op2);
        EDA_ASSIGN_OR_RETURN(double u, read_value(op2));
        c.has_upper = true;
        c.upper_inclusive = op2 == "<=";
        c.upper = u;
        if (!(c.lower < c.upper)) return Invalid(d_, "Bottom must be less than top");
      }
    } else if (op == "<" || op == "<=") {
      EDA_ASSIGN_OR_RETURN(double v, read_value(op));
      c.has_upper = true;
      c.upper_inclusive = op == "<=";
      c.upper = v;
      if (i < arg.size()) return Invalid(d_, "Too many elements in numeric expression");
    } else {
      return Invalid(d_, "Unrecognized numeric range operator: " + op);
    }
    if (i < arg.size()) return Invalid(d_, "Too many elements in numeric expression");
    return c;
  }

  Result<Condition> CompileAnythingBut(const json& arg) {
    Condition c;
    c.kind = CondKind::kAnythingBut;
    if (arg.is_string() || arg.is_number()) {
      c.but_values.push_back(arg);
      return c;
    }
    if (arg.is_array()) {
      if (arg.empty()) return Invalid(d_, "Empty arrays are not allowed");
      for (const auto& v : arg) {
        if (!v.is_string() && !v.is_number())
          return Invalid(d_, "Inside anything but list, start|null|boolean is not supported.");
        c.but_values.push_back(v);
      }
      return c;
    }
    if (arg.is_object() && arg.size() == 1) {
      const std::string& op = arg.begin().key();
      const json& v = arg.begin().value();
      auto inner = std::make_shared<Condition>();
      bool eb = IsEventBridge(d_);
      if (op == "prefix" || op == "suffix") {
        if (!v.is_string()) return Invalid(d_, "prefix match pattern must be a string");
        inner->kind = op == "prefix" ? CondKind::kPrefix : CondKind::kSuffix;
        inner->text = v.get<std::string>();
      } else if (op == "wildcard" && eb) {
        if (!v.is_string()) return Invalid(d_, "wildcard match pattern must be a string");
        inner->kind = CondKind::kWildcard;
        inner->text = v.get<std::string>();
        EDA_TRY(CheckWildcard(d_, inner->text));
      } else if (op == "equals-ignore-case" && eb) {
        // A string or a list of strings.
        if (v.is_string()) {
          c.but_values.push_back(str::ToLower(v.get<std::string>()));
        } else if (v.is_array() && !v.empty()) {
          for (const auto& s : v) {
            if (!s.is_string())
              return Invalid(d_,
                             "Inside anything-but/ignore-case list, number|start|null|boolean is "
                             "not supported.");
            c.but_values.push_back(str::ToLower(s.get<std::string>()));
          }
        } else {
          return Invalid(d_, "equals-ignore-case match pattern must be a string");
        }
        c.ignore_case = true;
        return c;
      } else {
        return Invalid(d_, "Unsupported anything-but pattern: " + op);
      }
      c.inner = std::move(inner);
      return c;
    }
    return Invalid(d_, "Value of anything-but must be an array or single string/number value.");
  }

  Dialect d_;
};

// SNS: keys at the top level (an "$or" counts its largest alternative).
int CountKeys(const json& obj) {
  int n = 0, or_max = 0;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.key() == "$or" && it.value().is_array()) {
      for (const auto& alt : it.value())
        if (alt.is_object()) or_max = std::max(or_max, CountKeys(alt));
    } else {
      ++n;
    }
  }
  return n + or_max;
}

// SNS: the product of the number of values in every array; "$or" sums its alternatives.
double Combinations(const json& obj) {
  double product = 1;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const json& v = it.value();
    if (it.key() == "$or" && v.is_array()) {
      double sum = 0;
      for (const auto& alt : v)
        if (alt.is_object()) sum += Combinations(alt);
      product *= sum;
    } else if (v.is_array()) {
      product *= static_cast<double>(v.size());
    } else if (v.is_object()) {
      product *= Combinations(v);
    }
  }
  return product;
}

}  // namespace

Result<Pattern> Pattern::Compile(const nlohmann::json& pattern, Dialect dialect) {
  if (!pattern.is_object()) return Invalid(dialect, "Filter is not an object");
  if (dialect != Dialect::kEventBridge) {
    if (CountKeys(pattern) > kSnsMaxKeys)
      return Invalid(dialect, "Filter policy can not have more than 5 keys");
  }
  Compiler compiler(dialect);
  EDA_ASSIGN_OR_RETURN(auto root, compiler.CompileObject(pattern, 0));
  if (dialect != Dialect::kEventBridge && Combinations(pattern) > kSnsMaxCombinations)
    return Invalid(dialect, "Filter policy is too complex");
  Pattern p;
  p.root_ = std::move(root);
  p.dialect_ = dialect;
  return p;
}

Result<Pattern> Pattern::Parse(const std::string& pattern_text, Dialect dialect) {
  json j = json::parse(pattern_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    if (dialect == Dialect::kEventBridge) return Invalid(dialect, "Filter is not valid JSON");
    return MakeError("InvalidParameter", "Invalid parameter: FilterPolicy: failed to parse JSON.");
  }
  return Compile(j, dialect);
}

}  // namespace edastack::filter
