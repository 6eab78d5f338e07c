#include "emulator/dynamodb/number.h"

#include <algorithm>
#include <cstdlib>

#include "emulator/dynamodb/ddb_errors.h"

namespace edastack::dynamodb {
namespace {

// Adds two non-negative digit strings (most significant first).
std::string AddDigits(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  int i = static_cast<int>(a.size()) - 1, j = static_cast<int>(b.size()) - 1;
  while (i >= 0 || j >= 0 || carry) {
    int s = carry + (i >= 0 ? a[i--] - '0' : 0) + (j >= 0 ? b[j--] - '0' : 0);
    out.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// a - b for digit strings with a >= b.
std::string SubDigits(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  int i = static_cast<int>(a.size()) - 1, j = static_cast<int>(b.size()) - 1;
  while (i >= 0) {
    int s = (a[i--] - '0') - borrow - (j >= 0 ? b[j--] - '0' : 0);
    borrow = s < 0;
    if (s < 0) s += 10;
    out.push_back(static_cast<char>('0' + s));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

int CompareDigitStrings(const std::string& a, const std::string& b) {
  // Same length assumed by callers after alignment; compare lengths first otherwise.
  std::string x = a.substr(std::min(a.find_first_not_of('0'), a.size()));
  std::string y = b.substr(std::min(b.find_first_not_of('0'), b.size()));
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  int c = x.compare(y);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view text) {
  auto bad = [] { return errors::Validation("A value provided cannot be converted into a number"); };
  size_t i = 0;
  Decimal d;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) d.negative_ = text[i++] == '-';
  std::string digits;
  int frac = 0;
  bool seen_digit = false, seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      digits.push_back(c);
      if (seen_dot) ++frac;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return bad();
  long exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
    if (i >= text.size()) return bad();
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return bad();
      exp = exp * 10 + (text[i] - '0');
      if (exp > 100000) return bad();
    }
    if (eneg) exp = -exp;
  }
  if (i != text.size()) return bad();
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal();  // zero, any sign
  digits = digits.substr(first);
  long e = exp - frac;
  size_t last = digits.find_last_not_of('0');
  e += static_cast<long>(digits.size() - 1 - last);
  digits.resize(last + 1);
  d.digits_ = digits;
  d.exp_ = static_cast<int>(e);
  EDA_TRY(d.CheckRange());
  return d;
}

Status Decimal::CheckRange() const {
  if (digits_.empty()) return OkStatus();
  if (digits_.size() > 38)
    return errors::Validation("Attempting to store more than 38 significant digits in a Number");
  int adjusted = exp_ + static_cast<int>(digits_.size()) - 1;
  if (adjusted > 125)
    return errors::Validation(
        "Number overflow. Attempting to store a number with magnitude larger than supported "
        "range");
  if (adjusted < -130)
    return errors::Validation(
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range");
  return OkStatus();
}

std::string Decimal::ToString() const {
  if (digits_.empty()) return "0";
  std::string out = negative_ ? "-" : "";
  if (exp_ >= 0) return out + digits_ + std::string(exp_, '0');
  int n = static_cast<int>(digits_.size());
  int point = n + exp_;  // digits before the decimal point
  if (point <= 0) return out + "0." + std::string(-point, '0') + digits_;
  return out + digits_.substr(0, point) + "." + digits_.substr(point);
}

std::string Decimal::SortKey() const {
  if (digits_.empty()) return std::string(1, '\x02');
  int adjusted = exp_ + static_cast<int>(digits_.size()) - 1 + 130;  // 0..255
  std::string out;
  if (!negative_) {
    out.push_back('\x03');
    out.push_back(static_cast<char>(adjusted));
    out += digits_;
  } else {
    out.push_back('\x01');
    out.push_back(static_cast<char>(255 - adjusted));
    for (char c : digits_) out.push_back(static_cast<char>('9' - c + '0'));
    out.push_back('\xff');
  }
  return out;
}

int Decimal::Compare(const Decimal& o) const {
  int sa = digits_.empty() ? 0 : (negative_ ? -1 : 1);
  int sb = o.digits_.empty() ? 0 : (o.negative_ ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int aa = exp_ + static_cast<int>(digits_.size());
  int ab = o.exp_ + static_cast<int>(o.digits_.size());
  int mag;
  if (aa != ab) {
    mag = aa < ab ? -1 : 1;
  } else {
    size_t n = std::max(digits_.size(), o.digits_.size());
    std::string x = digits_ + std::string(n - digits_.size(), '0');
    std::string y = o.digits_ + std::string(n - o.digits_.size(), '0');
    int c = x.compare(y);
    mag = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return sa > 0 ? mag : -mag;
}

Decimal Decimal::Negated() const {
  Decimal d = *this;
  if (!d.digits_.empty()) d.negative_ = !d.negative_;
  return d;
}

Result<Decimal> Decimal::Add(const Decimal& a, const Decimal& b) {
  if (a.IsZero()) return b;
  if (b.IsZero()) return a;
  int e = std::min(a.exp_, b.exp_);
  std::string x = a.digits_ + std::string(a.exp_ - e, '0');
  std::string y = b.digits_ + std::string(b.exp_ - e, '0');
  Decimal r;
  std::string sum;
  if (a.negative_ == b.negative_) {
    sum = AddDigits(x, y);
    r.negative_ = a.negative_;
  } else {
    int c = CompareDigitStrings(x, y);
    if (c == 0) return Decimal();
    if (c > 0) {
      sum = SubDigits(x, y);
      r.negative_ = a.negative_;
    } else {
      sum = SubDigits(y, x);
      r.negative_ = b.negative_;
    }
  }
  std::string text = (r.negative_ ? "-" : "") + sum + "E" + std::to_string(e);
  return Parse(text);
}

Result<Decimal> Decimal::Sub(const Decimal& a, const Decimal& b) { return Add(a, b.Negated()); }

double Decimal::ToDouble() const { return std::strtod(ToString().c_str(), nullptr); }

Result<std::string> NormalizeNumber(std::string_view text) {
  EDA_ASSIGN_OR_RETURN(Decimal d, Decimal::Parse(text));
  return d.ToString();
}

}  // namespace edastack::dynamodb
