// EventBridge schedule expressions (PutRule ScheduleExpression), as AWS documents them:
//  - rate(value unit): value a positive integer, unit minute|minutes|hour|hours|day|days
//    (singular exactly when value is 1);
//  - cron(Minutes Hours Day-of-month Month Day-of-week Year), in UTC: `,` `-` `*` `/` in every
//    field, `?` in one of Day-of-month / Day-of-week (exactly one of them must be `?`), `L`
//    and `nW` in Day-of-month, `L`, `nL` and `n#k` in Day-of-week, month names JAN-DEC and
//    day names SUN-SAT (1 = Sunday).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/core/result.h"

namespace edastack::events {

class ScheduleExpression {
 public:
  // ValidationException "Parameter ScheduleExpression is not valid." for anything else.
  static Result<ScheduleExpression> Parse(const std::string& text);

  // The first firing time strictly after `after_ms` (epoch milliseconds, UTC). Rate schedules
  // fire every period counted from `origin_ms` (the rule's creation). nullopt: never again
  // (a cron whose years are all past).
  std::optional<int64_t> NextAfter(int64_t after_ms, int64_t origin_ms) const;

 private:
  // One cron field: the allowed values, plus Day-of-month / Day-of-week specials.
  struct Field {
    std::vector<bool> allowed;  // indexed by value
    bool any = false;           // `*` or `?`
    bool last = false;          // L (day-of-month: last day; day-of-week: Saturday... see .cc)
    int last_weekday = 0;       // day-of-week nL: the last weekday n (1-7) of the month
    int nearest_weekday = 0;    // day-of-month nW
    int nth_weekday = 0, nth = 0;  // day-of-week n#k
  };
  bool DayMatches(int year, int month, int day) const;

  int64_t rate_ms_ = 0;  // > 0: a rate schedule
  Field minute_, hour_, dom_, month_, dow_, year_;
};

}  // namespace edastack::events
