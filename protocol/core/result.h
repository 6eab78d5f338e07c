// Errors are values: every operation returns Result<T>, never throws across a layer.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace edastack {

// One AWS error as every protocol renderer needs it.
//  code         the modeled shape name (JSON `__type`, S3/SNS/STS `<Code>`)
//  query_code   the legacy query-protocol code where it differs (SQS), else empty
struct AwsError {
  std::string code;
  std::string message;
  int http_status = 400;
  bool sender_fault = true;
  std::string query_code;
  // Extra members some protocols render (S3 <Key>/<BucketName>, DynamoDB Item, ...),
  // as ordered name/value pairs.
  std::vector<std::pair<std::string, std::string>> extra;

  const std::string& QueryCode() const { return query_code.empty() ? code : query_code; }
};

inline AwsError MakeError(std::string code, std::string message, int status = 400,
                          bool sender = true, std::string query_code = "") {
  AwsError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.http_status = status;
  e.sender_fault = sender;
  e.query_code = std::move(query_code);
  return e;
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(AwsError error) : v_(std::move(error)) {}   // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() { return std::get<0>(v_); }
  const AwsError& error() const { return std::get<1>(v_); }
  AwsError&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, AwsError> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status OkStatus() { return Unit{}; }

}  // namespace edastack

// Propagate an error from an expression returning Result<...>.
#define EDA_TRY(expr)                                  \
  do {                                                 \
    auto _eda_r = (expr);                              \
    if (!_eda_r.ok()) return _eda_r.take_error();      \
  } while (0)

#define EDA_CONCAT_INNER(a, b) a##b
#define EDA_CONCAT(a, b) EDA_CONCAT_INNER(a, b)
#define EDA_ASSIGN_OR_RETURN(lhs, expr)                        \
  auto EDA_CONCAT(_eda_r_, __LINE__) = (expr);                 \
  if (!EDA_CONCAT(_eda_r_, __LINE__).ok())                     \
    return EDA_CONCAT(_eda_r_, __LINE__).take_error();         \
  lhs = std::move(EDA_CONCAT(_eda_r_, __LINE__)).value()
