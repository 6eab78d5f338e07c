// PutBucketLifecycleConfiguration's checks, as AWS answers them: schema violations are
// MalformedXML, out-of-range values InvalidArgument, forbidden combinations InvalidRequest.
#include <set>

#include "emulator/s3/s3_errors.h"
#include "emulator/s3/s3_lifecycle.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"

namespace edastack::s3 {
namespace {

constexpr int64_t kDay = 86400000;

// An integer element: nullopt when absent; MalformedXML when not an integer.
Result<std::optional<int64_t>> OptInt(const xml::Node& n, const char* child) {
  if (!n.Child(child)) return std::optional<int64_t>();
  std::string text = str::Trim(n.ChildText(child));
  bool digits = !text.empty() && text.size() <= 18;
  for (size_t i = 0; i < text.size(); ++i)
    digits = digits && ((text[i] >= '0' && text[i] <= '9') || (i == 0 && text[i] == '-'));
  if (!digits || text == "-") return MalformedXml();
  return std::optional<int64_t>(std::stoll(text));
}

// Date must parse and be at midnight UTC.
Status CheckDate(const xml::Node& n) {
  if (!n.Child("Date")) return OkStatus();
  auto t = timefmt::ParseIso8601(str::Trim(n.ChildText("Date")));
  if (!t) return MalformedXml();
  if (*t % kDay != 0) return InvalidArgument("'Date' must be at midnight GMT");
  return OkStatus();
}

bool ValidClass(const std::string& c) {
  return c == "GLACIER" || c == "STANDARD_IA" || c == "ONEZONE_IA" ||
         c == "INTELLIGENT_TIERING" || c == "DEEP_ARCHIVE" || c == "GLACIER_IR";
}

bool InfrequentAccess(const std::string& c) { return c == "STANDARD_IA" || c == "ONEZONE_IA"; }

// NewerNoncurrentVersions, when present: 1..100.
Status CheckNewerNoncurrent(const xml::Node* parent, const char* action) {
  if (!parent) return OkStatus();
  EDA_ASSIGN_OR_RETURN(auto n, OptInt(*parent, "NewerNoncurrentVersions"));
  if (n && (*n < 1 || *n > 100))
    return InvalidArgument(std::string("'NewerNoncurrentVersions' in ") + action +
                           " action must be an integer between 1 and 100");
  return OkStatus();
}

Status CheckTransition(const xml::Node& t, bool noncurrent) {
  std::string cls = str::Trim(t.ChildText("StorageClass"));
  if (!ValidClass(cls)) return MalformedXml();
  const char* days_name = noncurrent ? "NoncurrentDays" : "Days";
  const char* action = noncurrent ? "NoncurrentVersionTransition" : "Transition";
  EDA_ASSIGN_OR_RETURN(auto days, OptInt(t, days_name));
  bool date = !noncurrent && t.Child("Date");
  if (days.has_value() == date) return MalformedXml();  // exactly one of Days / Date
  EDA_TRY(CheckDate(t));
  if (days && *days < 0)
    return InvalidArgument(std::string("'") + days_name + "' in " + action +
                           " action must be nonnegative");
  if (noncurrent) EDA_TRY(CheckNewerNoncurrent(&t, action));
  if (days && InfrequentAccess(cls) && *days < 30)
    return InvalidArgument(std::string("'") + days_name + "' in " + action +
                           " action for StorageClass " + cls +
                           " must be greater than or equal to 30");
  return OkStatus();
}

Status CheckPositive(const xml::Node* parent, const char* name, const char* action) {
  if (!parent) return OkStatus();
  EDA_ASSIGN_OR_RETURN(auto v, OptInt(*parent, name));
  if (!v) return MalformedXml();
  if (*v <= 0)
    return InvalidArgument(std::string("'") + name + "' for " + action +
                           " action must be a positive integer");
  return OkStatus();
}

// The filter's tags, or MalformedXML when it names more than one condition outside And.
Result<bool> CheckFilter(const xml::Node& f) {
  int conditions = 0;
  for (const char* c : {"Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"})
    conditions += static_cast<int>(f.Children(c).size());
  if (conditions > 1) return MalformedXml();
  const xml::Node* scope = f.Child("And") ? f.Child("And") : &f;
  for (const xml::Node* tag : scope->Children("Tag"))
    if (!tag->Child("Key")) return MalformedXml();
  EDA_ASSIGN_OR_RETURN(auto gt, OptInt(*scope, "ObjectSizeGreaterThan"));
  EDA_ASSIGN_OR_RETURN(auto lt, OptInt(*scope, "ObjectSizeLessThan"));
  if ((gt && *gt < 0) || (lt && *lt < 0)) return MalformedXml();
  if (gt && lt && *gt >= *lt)
    return InvalidArgument("ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
  return !scope->Children("Tag").empty();
}

Status CheckRule(const xml::Node& r) {
  std::string status = str::Trim(r.ChildText("Status"));
  if (status != "Enabled" && status != "Disabled") return MalformedXml();
  if (r.ChildText("ID").size() > 255)
    return InvalidArgument("ID length should not exceed allowed limit of 255");
  const xml::Node* filter = r.Child("Filter");
  if ((filter != nullptr) == (r.Child("Prefix") != nullptr)) return MalformedXml();
  bool tags = false;
  if (filter) {
    EDA_ASSIGN_OR_RETURN(tags, CheckFilter(*filter));
  }

  const xml::Node* exp = r.Child("Expiration");
  const xml::Node* nce = r.Child("NoncurrentVersionExpiration");
  const xml::Node* abort = r.Child("AbortIncompleteMultipartUpload");
  auto transitions = r.Children("Transition");
  auto nc_transitions = r.Children("NoncurrentVersionTransition");
  if (!exp && !nce && !abort && transitions.empty() && nc_transitions.empty())
    return InvalidRequest("At least one action needs to be specified in a rule");
  if (exp) {
    bool has_days = exp->Child("Days") != nullptr, has_date = exp->Child("Date") != nullptr;
    const xml::Node* marker = exp->Child("ExpiredObjectDeleteMarker");
    if (static_cast<int>(has_days) + has_date + (marker != nullptr) != 1) return MalformedXml();
    if (has_days) {
      EDA_TRY(CheckPositive(exp, "Days", "Expiration"));
    }
    EDA_TRY(CheckDate(*exp));
    if (marker) {
      std::string v = str::Trim(marker->text);
      if (v != "true" && v != "false") return MalformedXml();
      if (tags) return InvalidRequest("ExpiredObjectDeleteMarker cannot be specified with Tags.");
    }
  }
  EDA_TRY(CheckPositive(nce, "NoncurrentDays", "NoncurrentVersionExpiration"));
  EDA_TRY(CheckNewerNoncurrent(nce, "NoncurrentVersionExpiration"));
  EDA_TRY(CheckPositive(abort, "DaysAfterInitiation", "AbortIncompleteMultipartUpload"));
  if (abort && tags)
    return InvalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags.");
  for (const xml::Node* t : transitions) EDA_TRY(CheckTransition(*t, false));
  for (const xml::Node* t : nc_transitions) EDA_TRY(CheckTransition(*t, true));
  return OkStatus();
}

}  // namespace

Status ValidateLifecycle(const xml::Node& doc) {
  auto rules = doc.Children("Rule");
  if (rules.empty() || rules.size() > 1000) return MalformedXml();
  std::set<std::string> ids;
  for (const xml::Node* r : rules) {
    EDA_TRY(CheckRule(*r));
    std::string id = r->ChildText("ID");
    if (!id.empty() && !ids.insert(id).second)
      return InvalidArgument("Rule ID must be unique. Found same ID for more than one rule");
  }
  return OkStatus();
}

}  // namespace edastack::s3
