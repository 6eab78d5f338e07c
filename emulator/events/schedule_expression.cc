#include "emulator/events/schedule_expression.h"

#include <cctype>

#include "emulator/events/events_errors.h"
#include "protocol/core/strings.h"

namespace edastack::events {
namespace {

constexpr int64_t kMinuteMs = 60000;
constexpr int64_t kDayMs = 86400000;
constexpr int kMinYear = 1970, kMaxYear = 2199;

AwsError Invalid() { return err::Validation("Parameter ScheduleExpression is not valid."); }

// Days since 1970-01-01 <-> civil date (proleptic Gregorian; H. Hinnant's algorithms).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// 1 = Sunday ... 7 = Saturday.
int Weekday(int y, int m, int d) {
  int64_t days = DaysFromCivil(y, m, d);
  return static_cast<int>(((days + 4) % 7 + 7) % 7) + 1;
}

std::optional<int> Number(const std::string& s, const char* const* names, int first) {
  if (s.empty()) return std::nullopt;
  if (names) {
    std::string up = s;
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (int i = 0; names[i]; ++i)
      if (up == names[i]) return first + i;
  }
  if (s.size() > 4) return std::nullopt;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return std::stoi(s);
}

const char* const kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL",
                               "AUG", "SEP", "OCT", "NOV", "DEC", nullptr};
const char* const kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", nullptr};

}  // namespace

Result<ScheduleExpression> ScheduleExpression::Parse(const std::string& text) {
  ScheduleExpression out;
  auto inner = [&](const char* head) -> std::optional<std::string> {
    std::string h(head);
    if (text.size() <= h.size() + 1 || text.rfind(h, 0) != 0 || text.back() != ')')
      return std::nullopt;
    return text.substr(h.size(), text.size() - h.size() - 1);
  };
  if (auto rate = inner("rate(")) {
    auto parts = str::Split(str::Trim(*rate), ' ');
    if (parts.size() != 2) return Invalid();
    auto value = Number(parts[0], nullptr, 0);
    if (!value || *value <= 0) return Invalid();
    std::string unit = parts[1];
    bool plural = !unit.empty() && unit.back() == 's';
    if (plural != (*value > 1)) return Invalid();
    if (plural) unit.pop_back();
    int64_t unit_ms = unit == "minute" ? kMinuteMs
                      : unit == "hour" ? 60 * kMinuteMs
                      : unit == "day"  ? kDayMs
                                       : 0;
    if (!unit_ms) return Invalid();
    out.rate_ms_ = *value * unit_ms;
    return out;
  }
  auto cron = inner("cron(");
  if (!cron) return Invalid();
  std::vector<std::string> fields;
  for (auto& f : str::Split(str::Trim(*cron), ' '))
    if (!f.empty()) fields.push_back(f);
  if (fields.size() != 6) return Invalid();

  // kind: 0 minute, 1 hour, 2 day-of-month, 3 month, 4 day-of-week, 5 year.
  auto parse_field = [](const std::string& text, int lo, int hi, const char* const* names,
                        int kind, Field* f) -> bool {
    f->allowed.assign(hi + 1, false);
    for (const auto& item : str::Split(text, ',')) {
      if (item == "*" || item == "?") {
        if (item == "?" && kind != 2 && kind != 4) return false;
        f->any = true;
        continue;
      }
      if (kind == 2 && item == "L") {
        f->last = true;
        continue;
      }
      if (kind == 2 && item.size() > 1 && item.back() == 'W') {
        auto n = Number(item.substr(0, item.size() - 1), nullptr, 0);
        if (!n || *n < 1 || *n > 31) return false;
        f->nearest_weekday = *n;
        continue;
      }
      if (kind == 4 && item == "L") {
        f->allowed[7] = true;  // the last day of the week: Saturday
        continue;
      }
      if (kind == 4 && item.size() > 1 && item.back() == 'L') {
        auto n = Number(item.substr(0, item.size() - 1), names, 1);
        if (!n || *n < 1 || *n > 7) return false;
        f->last_weekday = *n;
        continue;
      }
      if (kind == 4 && item.find('#') != std::string::npos) {
        auto hash = item.find('#');
        auto n = Number(item.substr(0, hash), names, 1);
        auto k = Number(item.substr(hash + 1), nullptr, 0);
        if (!n || !k || *n < 1 || *n > 7 || *k < 1 || *k > 5) return false;
        f->nth_weekday = *n;
        f->nth = *k;
        continue;
      }
      std::string range = item;
      int step = 1;
      auto slash = item.find('/');
      if (slash != std::string::npos) {
        auto s = Number(item.substr(slash + 1), nullptr, 0);
        if (!s || *s < 1) return false;
        step = *s;
        range = item.substr(0, slash);
      }
      int a, b;
      if (range == "*") {
        a = lo;
        b = hi;
      } else {
        auto dash = range.find('-');
        auto first = Number(range.substr(0, dash), names, kind == 3 ? 1 : 1);
        if (!first) return false;
        a = *first;
        if (dash != std::string::npos) {
          auto last = Number(range.substr(dash + 1), names, 1);
          if (!last) return false;
          b = *last;
        } else {
          b = slash != std::string::npos ? hi : a;
        }
      }
      if (a < lo || b > hi || a > b) return false;
      for (int v = a; v <= b; v += step) f->allowed[v] = true;
    }
    return true;
  };
  if (!parse_field(fields[0], 0, 59, nullptr, 0, &out.minute_) ||
      !parse_field(fields[1], 0, 23, nullptr, 1, &out.hour_) ||
      !parse_field(fields[2], 1, 31, nullptr, 2, &out.dom_) ||
      !parse_field(fields[3], 1, 12, kMonths, 3, &out.month_) ||
      !parse_field(fields[4], 1, 7, kDays, 4, &out.dow_) ||
      !parse_field(fields[5], kMinYear, kMaxYear, nullptr, 5, &out.year_))
    return Invalid();
  // Exactly one of Day-of-month and Day-of-week is `?`.
  if ((fields[2] == "?") == (fields[4] == "?")) return Invalid();
  for (Field* f : {&out.minute_, &out.hour_, &out.month_, &out.year_})
    if (f->any) f->allowed.assign(f->allowed.size(), true);
  return out;
}

bool ScheduleExpression::DayMatches(int y, int m, int d) const {
  if (dom_.any && dow_.any) return true;  // `*` in one field, `?` in the other
  int dim = DaysInMonth(y, m);
  if (!dom_.any && !dom_.allowed.empty() && (dom_.allowed[d] || (dom_.last && d == dim)))
    return true;
  if (dom_.nearest_weekday) {
    int n = std::min(dom_.nearest_weekday, dim);
    int wd = Weekday(y, m, n);
    int target = n;
    if (wd == 7) target = n == 1 ? n + 2 : n - 1;          // Saturday
    else if (wd == 1) target = n == dim ? n - 2 : n + 1;   // Sunday
    if (d == target) return true;
  }
  if (!dow_.any) {
    int wd = Weekday(y, m, d);
    if (dow_.allowed[wd]) return true;
    if (dow_.last_weekday == wd && d + 7 > dim) return true;
    if (dow_.nth_weekday == wd && (d - 1) / 7 + 1 == dow_.nth) return true;
  }
  return false;
}

std::optional<int64_t> ScheduleExpression::NextAfter(int64_t after_ms, int64_t origin_ms) const {
  if (rate_ms_ > 0) {
    if (after_ms < origin_ms) return origin_ms + rate_ms_;
    return origin_ms + ((after_ms - origin_ms) / rate_ms_ + 1) * rate_ms_;
  }
  int64_t start = (after_ms >= 0 ? after_ms / kMinuteMs : (after_ms - kMinuteMs + 1) / kMinuteMs) + 1;
  int64_t day = start / 1440;
  int start_minute = static_cast<int>(start % 1440);
  for (;; ++day, start_minute = 0) {
    int y, m, d;
    CivilFromDays(day, &y, &m, &d);
    if (y > kMaxYear) return std::nullopt;
    if (y < kMinYear || !year_.allowed[y] || !month_.allowed[m] || !DayMatches(y, m, d)) continue;
    for (int h = start_minute / 60; h < 24; ++h) {
      if (!hour_.allowed[h]) continue;
      for (int mi = h == start_minute / 60 ? start_minute % 60 : 0; mi < 60; ++mi)
        if (minute_.allowed[mi]) return (day * 1440 + h * 60 + mi) * kMinuteMs;
    }
  }
}

}  // namespace edastack::events
