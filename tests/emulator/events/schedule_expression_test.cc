// Schedule expressions: AWS's documented rate and cron forms, their errors, and firing times.
#include "emulator/events/schedule_expression.h"

#include <catch2/catch.hpp>

using edastack::events::ScheduleExpression;

namespace {

constexpr int64_t kMinute = 60000;
constexpr int64_t kNov28_1000 = 1795860000000;  // 2026-11-28T10:00:00Z, a Saturday

int64_t Next(const std::string& expr, int64_t after, int64_t origin = 0) {
  auto e = ScheduleExpression::Parse(expr);
  INFO(expr);
  REQUIRE(e.ok());
  auto n = e->NextAfter(after, origin);
  REQUIRE(n.has_value());
  return *n;
}

}  // namespace

TEST_CASE("schedule expressions: invalid ones get AWS's ValidationException", "[events]") {
  for (const char* bad :
       {"every day", "rate()", "rate(5)", "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)",
        "rate(-1 minutes)", "rate(5 weeks)", "rate(x minutes)", "cron()", "cron(0 12 * * ?)",
        "cron(0 12 * * * *)", "cron(0 12 ? * ? *)", "cron(60 12 * * ? *)", "cron(0 24 * * ? *)",
        "cron(0 12 32 * ? *)", "cron(0 12 ? * 8 *)", "cron(0 12 ? * MON#6 *)",
        "cron(0 12 ? 13 MON *)", "cron(0 12 1 * ? 1969)", "cron(0 12 5-1 * ? *)",
        "cron(0/0 12 * * ? *)", "cron(? 12 * * ? *)", "cron(0 12 * * ? *"}) {
    INFO(bad);
    auto e = ScheduleExpression::Parse(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == "ValidationException");
    CHECK(e.error().message == "Parameter ScheduleExpression is not valid.");
  }
}

TEST_CASE("schedule expressions: rate fires every period from the rule's creation",
          "[events]") {
  int64_t t0 = kNov28_1000 + 17000;  // created at 10:00:17
  CHECK(Next("rate(5 minutes)", t0, t0) == t0 + 5 * kMinute);
  CHECK(Next("rate(5 minutes)", t0 + 5 * kMinute, t0) == t0 + 10 * kMinute);
  CHECK(Next("rate(5 minutes)", t0 + 7 * kMinute, t0) == t0 + 10 * kMinute);
  CHECK(Next("rate(5 minutes)", t0 - 1, t0) == t0 + 5 * kMinute);
  CHECK(Next("rate(1 minute)", t0, t0) == t0 + kMinute);
  CHECK(Next("rate(1 hour)", t0, t0) == t0 + 60 * kMinute);
  CHECK(Next("rate(2 days)", t0, t0) == t0 + 2 * 1440 * kMinute);
}

TEST_CASE("schedule expressions: cron fields, wildcards and UTC dates", "[events]") {
  CHECK(Next("cron(0 12 * * ? *)", kNov28_1000) == 1795867200000);        // 12:00 today
  CHECK(Next("cron(0/15 * * * ? *)", kNov28_1000) == 1795860900000);      // strictly after
  CHECK(Next("cron(0/15 * * * ? *)", 1795860450000) == 1795860900000);    // from 10:07:30
  CHECK(Next("cron(15 10 ? * 6L 2026)", kNov28_1000) == 1798193700000);   // last Friday: Dec 25
  CHECK(Next("cron(0 9 ? * MON#2 *)", kNov28_1000) == 1797238800000);     // 2nd Monday: Dec 14
  CHECK(Next("cron(0 8 1W * ? *)", 1784073600000) == 1785744000000);      // Aug 1 is a Saturday
  CHECK(Next("cron(0 0 L * ? *)", 1770681600000) == 1772236800000);       // Feb 28, 2026
  CHECK(Next("cron(0 0 29 2 ? *)", 1772323200000) == 1835395200000);      // Feb 29, 2028
  CHECK(Next("cron(0 10 ? * SUN,SAT *)", kNov28_1000) == kNov28_1000 + 1440 * kMinute);
  CHECK(Next("cron(30 10 ? * 7 *)", kNov28_1000) == kNov28_1000 + 30 * kMinute);
  CHECK(Next("cron(0 0 1 JAN,jul ? *)", kNov28_1000) == 1798761600000);   // 2027-01-01
  CHECK(Next("cron(5,10 10-11 28 NOV ? *)", kNov28_1000) == kNov28_1000 + 5 * kMinute);
  auto past = ScheduleExpression::Parse("cron(0 0 1 1 ? 2020)");
  REQUIRE(past.ok());
  CHECK_FALSE(past->NextAfter(kNov28_1000, 0).has_value());
}
