#include "emulator/s3/s3_listing.h"

#include "protocol/core/strings.h"

namespace edastack::s3 {

std::string PrefixSuccessor(const std::string& prefix) {
  std::string s = prefix;
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return "";
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

ListPage ListKeys(const ListQuery& q, const KeySource& source) {
  ListPage page;
  std::string from = q.prefix;
  bool inclusive = true;
  if (!q.after.empty() && q.after >= from) {
    from = q.after;
    inclusive = false;
  }
  int count = 0;
  constexpr size_t kBatch = 1000;
  while (true) {
    auto batch = source(from, inclusive, kBatch);
    if (batch.empty()) return page;
    bool reseek = false;
    for (auto& obj : batch) {
      if (!str::StartsWith(obj.key, q.prefix)) return page;
      if (!q.delimiter.empty()) {
        size_t pos = obj.key.find(q.delimiter, q.prefix.size());
        if (pos != std::string::npos) {
          std::string cp = obj.key.substr(0, pos + q.delimiter.size());
          std::string next = PrefixSuccessor(cp);
          if (q.after.empty() || cp > q.after) {
            if (count >= q.max_keys) {
              page.truncated = true;
              return page;
            }
            page.common_prefixes.push_back(cp);
            page.last = cp;
            ++count;
          }
          if (next.empty()) return page;
          from = next;
          inclusive = true;
          reseek = true;
          break;
        }
      }
      if (count >= q.max_keys) {
        page.truncated = true;
        return page;
      }
      page.last = obj.key;
      from = obj.key;
      inclusive = false;
      page.contents.push_back(std::move(obj));
      ++count;
    }
    if (!reseek && batch.size() < kBatch) return page;
  }
}

}  // namespace edastack::s3
