#include "emulator/events/input_transform.h"

#include <cctype>
#include <set>

#include "emulator/events/events_errors.h"
#include "protocol/core/time_format.h"

namespace edastack::events {
namespace {

struct PathStep {
  bool is_index = false;
  std::string key;
  size_t index = 0;
};

bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '/' ||
         c == '$' || c == '@' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

// Parses "$.a.b[0]" into steps. False when malformed.
bool ParsePath(const std::string& path, std::vector<PathStep>* steps) {
  if (path.empty() || path[0] != '$') return false;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t start = ++i;
      while (i < path.size() && IsKeyChar(path[i])) ++i;
      if (i == start) return false;
      steps->push_back({false, path.substr(start, i - start), 0});
    } else if (path[i] == '[') {
      size_t start = ++i;
      while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i]))) ++i;
      if (i == start || i >= path.size() || path[i] != ']' || i - start > 9) return false;
      steps->push_back({true, "", static_cast<size_t>(std::stoul(path.substr(start, i - start)))});
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

const char* kPredefined[] = {"aws.events.rule-arn", "aws.events.rule-name",
                             "aws.events.event.ingestion-time", "aws.events.event",
                             "aws.events.event.json"};

bool IsPredefined(const std::string& name) {
  for (const char* p : kPredefined)
    if (name == p) return true;
  return false;
}

bool IsPlaceholderChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// Finds the placeholder starting at template[i] == '<'; returns its length (with brackets)
// and name, or 0 when this '<' does not open one.
size_t PlaceholderAt(const std::string& t, size_t i, std::string* name) {
  size_t j = i + 1;
  while (j < t.size() && IsPlaceholderChar(t[j])) ++j;
  if (j == i + 1 || j >= t.size() || t[j] != '>') return 0;
  *name = t.substr(i + 1, j - i - 1);
  return j - i + 1;
}

bool NameIsValid(const std::string& name) {
  if (name.empty() || name.size() > 256) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

bool IsValidJsonPath(const std::string& path) {
  std::vector<PathStep> steps;
  return path.size() <= 256 && ParsePath(path, &steps);
}

const OrderedJson* SelectPath(const OrderedJson& doc, const std::string& path) {
  std::vector<PathStep> steps;
  if (!ParsePath(path, &steps)) return nullptr;
  const OrderedJson* cur = &doc;
  for (const auto& s : steps) {
    if (s.is_index) {
      if (!cur->is_array() || s.index >= cur->size()) return nullptr;
      cur = &(*cur)[s.index];
    } else {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(s.key);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
  }
  return cur;
}

Status ValidateTargetInput(const Target& t) {
  int n = (t.input ? 1 : 0) + (t.input_path ? 1 : 0) + (t.input_transformer ? 1 : 0);
  if (n > 1)
    return err::Validation(
        "Only one of Input, InputPath, or InputTransformer must be provided for target " + t.id +
        ".");
  if (t.input) {
    if (t.input->size() > 8192)
      return err::Constraint(*t.input, "targets.member.input",
                             "Member must have length less than or equal to 8192");
    if (OrderedJson::parse(*t.input, nullptr, false).is_discarded())
      return err::Validation("Input for target " + t.id + " is not a valid JSON text.");
  }
  if (t.input_path && !IsValidJsonPath(*t.input_path))
    return err::Validation("InputPath for target " + t.id + " is invalid.");
  if (t.input_transformer) {
    const InputTransformer& xf = *t.input_transformer;
    if (xf.paths.size() > 100)
      return err::Validation("InputPathsMap for target " + t.id + " has more than 100 entries.");
    std::set<std::string> names;
    for (const auto& kv : xf.paths) {
      if (!NameIsValid(kv.first))
        return err::Constraint(
            kv.first, "targets.member.inputTransformer.inputPathsMap.key",
            "Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+");
      if (kv.first.rfind("AWS", 0) == 0 || kv.first.rfind("aws", 0) == 0)
        return err::Validation("InputPathsMap for target " + t.id +
                               " contains a key starting with AWS: " + kv.first + ".");
      if (!IsValidJsonPath(kv.second))
        return err::Validation("Invalid InputPathsMap for target " + t.id + ": " + kv.second +
                               " is an invalid JSON path.");
      names.insert(kv.first);
    }
    if (xf.input_template.empty() || xf.input_template.size() > 8192)
      return err::Constraint(xf.input_template, "targets.member.inputTransformer.inputTemplate",
                             "Member must have length between 1 and 8192");
    const std::string& tpl = xf.input_template;
    size_t first = tpl.find_first_not_of(" \t\r\n");
    bool json_object = first != std::string::npos && tpl[first] == '{';
    bool in_string = false;
    for (size_t i = 0; i < tpl.size(); ++i) {
      if (json_object && in_string && tpl[i] == '\\') {
        ++i;
        continue;
      }
      if (json_object && tpl[i] == '"') in_string = !in_string;
      if (tpl[i] != '<') continue;
      std::string name;
      size_t len = PlaceholderAt(tpl, i, &name);
      if (len == 0) continue;
      if (!names.count(name) && !IsPredefined(name))
        return err::Validation("InputTemplate for target " + t.id +
                               " contains invalid placeholder " + name + ".");
      if (json_object && !in_string) {
        size_t next = tpl.find_first_not_of(" \t\r\n", i + len);
        if (next != std::string::npos && tpl[next] == ':')
          return err::Validation("InputTemplate for target " + t.id + " uses placeholder " + name +
                                 " as an object key.");
      }
      i += len - 1;
    }
  }
  return OkStatus();
}

OrderedJson BuildEnvelope(const std::string& id, const std::string& detail_type,
                          const std::string& source, const std::string& account, int64_t time_ms,
                          const std::string& region, const std::vector<std::string>& resources,
                          OrderedJson detail) {
  OrderedJson e = OrderedJson::object();
  e["version"] = "0";
  e["id"] = id;
  e["detail-type"] = detail_type;
  e["source"] = source;
  e["account"] = account;
  e["time"] = timefmt::Iso8601Seconds(time_ms);
  e["region"] = region;
  e["resources"] = resources;
  e["detail"] = std::move(detail);
  return e;
}

std::string RenderTemplate(const InputTransformer& xf, const TransformContext& ctx) {
  const std::string& tpl = xf.input_template;
  size_t first = tpl.find_first_not_of(" \t\r\n");
  bool json_mode =
      first != std::string::npos && (tpl[first] == '{' || tpl[first] == '[' || tpl[first] == '"');
  std::string out;
  out.reserve(tpl.size() + 64);
  bool in_string = false;
  for (size_t i = 0; i < tpl.size(); ++i) {
    char c = tpl[i];
    if (json_mode && c == '\\' && in_string && i + 1 < tpl.size()) {
      out.push_back(c);
      out.push_back(tpl[++i]);
      continue;
    }
    if (json_mode && c == '"') {
      in_string = !in_string;
      out.push_back(c);
      continue;
    }
    std::string name;
    size_t len = c == '<' ? PlaceholderAt(tpl, i, &name) : 0;
    if (len == 0) {
      out.push_back(c);
      continue;
    }
    i += len - 1;
    bool raw = !json_mode || in_string;
    // Resolve the placeholder to a JSON value (or a text for the string-valued ones).
    std::optional<OrderedJson> value;
    if (name == "aws.events.rule-arn") {
      value = ctx.rule_arn;
    } else if (name == "aws.events.rule-name") {
      value = ctx.rule_name;
    } else if (name == "aws.events.event.ingestion-time") {
      value = timefmt::Iso8601Seconds(ctx.ingestion_ms);
    } else if (name == "aws.events.event.json") {
      out += ctx.envelope_text;
      continue;
    } else if (name == "aws.events.event") {
      OrderedJson e = OrderedJson::object();
      for (auto it = ctx.envelope.begin(); it != ctx.envelope.end(); ++it) {
        if (it.key() == "detail") continue;
        e[it.key() == "detail-type" ? "detailType" : it.key()] = it.value();
      }
      out += e.dump();
      continue;
    } else {
      bool bound = false;
      for (const auto& kv : xf.paths) {
        if (kv.first != name) continue;
        bound = true;
        if (const OrderedJson* v = SelectPath(ctx.envelope, kv.second)) value = *v;
        break;
      }
      if (!bound) {  // not a placeholder after all (validated templates never get here)
        out.append(tpl, i - len + 1, len);
        continue;
      }
    }
    if (!value) {
      if (!raw) out += "\"\"";
      continue;
    }
    if (raw && value->is_string()) {
      out += value->get_ref<const std::string&>();
    } else {
      out += value->dump();
    }
  }
  return out;
}

std::optional<std::string> RenderTargetInput(const Target& t, const TransformContext& ctx) {
  if (t.input) return *t.input;
  if (t.input_path) {
    const OrderedJson* v = SelectPath(ctx.envelope, *t.input_path);
    if (!v) return std::nullopt;
    return v->dump();
  }
  if (t.input_transformer) return RenderTemplate(*t.input_transformer, ctx);
  return ctx.envelope_text;
}

}  // namespace edastack::events
