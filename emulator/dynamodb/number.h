// DynamoDB numbers: arbitrary decimals with up to 38 significant digits, magnitude
// 1E-130 .. 9.99..E+125. Pure value type; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/core/result.h"

namespace edastack::dynamodb {

class Decimal {
 public:
  Decimal() = default;  // zero
  // Parses the wire text ("-1.5E2", "007", ".5"). Errors are ValidationExceptions with
  // AWS's wording (not a number, too many digits, overflow, underflow).
  static Result<Decimal> Parse(std::string_view text);
  // Normalised text: no exponent, no leading/trailing zeros, "0" for zero.
  std::string ToString() const;
  // An order-preserving byte encoding (memcmp order == numeric order), for SQLite keys.
  std::string SortKey() const;
  bool IsZero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  int Compare(const Decimal& o) const;
  // Exact sum / difference; error when the result leaves DynamoDB's range or precision.
  static Result<Decimal> Add(const Decimal& a, const Decimal& b);
  static Result<Decimal> Sub(const Decimal& a, const Decimal& b);
  Decimal Negated() const;
  // Number of significant digits (0 for zero).
  int Digits() const { return static_cast<int>(digits_.size()); }
  // Approximate value, for TTL timestamps.
  double ToDouble() const;

 private:
  Status CheckRange() const;
  bool negative_ = false;
  std::string digits_;  // no leading or trailing zeros; empty for zero
  int exp_ = 0;         // value = digits_ * 10^exp_
};

// Normalises a wire number string; the ValidationException on bad input.
Result<std::string> NormalizeNumber(std::string_view text);

}  // namespace edastack::dynamodb
