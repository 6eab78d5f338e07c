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
      if (q.hidden && q.hidden(obj)) {
        from = obj.key;
        inclusive = false;
        continue;
      }
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

UploadsPage PageUploads(const std::vector<Upload>& sorted, const UploadsQuery& q) {
  UploadsPage page;
  // Position after the markers: keys > key_marker; with an upload-id marker, also the
  // uploads of key_marker that follow that upload.
  size_t i = 0;
  if (!q.key_marker.empty()) {
    size_t first_after_key = sorted.size();
    for (size_t k = 0; k < sorted.size(); ++k)
      if (sorted[k].key > q.key_marker) {
        first_after_key = k;
        break;
      }
    i = first_after_key;
    if (!q.upload_id_marker.empty()) {
      for (size_t k = 0; k < first_after_key; ++k)
        if (sorted[k].key == q.key_marker && sorted[k].upload_id == q.upload_id_marker) {
          i = k + 1;
          break;
        }
    }
  }
  int count = 0;
  for (; i < sorted.size(); ++i) {
    const Upload& u = sorted[i];
    if (!str::StartsWith(u.key, q.prefix)) continue;
    if (!q.delimiter.empty()) {
      size_t pos = u.key.find(q.delimiter, q.prefix.size());
      if (pos != std::string::npos) {
        std::string cp = u.key.substr(0, pos + q.delimiter.size());
        // A prefix already returned (on this page or as the previous page's marker).
        if (cp == q.key_marker ||
            (!page.common_prefixes.empty() && page.common_prefixes.back() == cp))
          continue;
        if (count >= q.max_uploads) {
          page.truncated = true;
          return page;
        }
        page.common_prefixes.push_back(cp);
        page.next_key_marker = cp;
        page.next_upload_id_marker.clear();
        ++count;
        continue;
      }
    }
    if (count >= q.max_uploads) {
      page.truncated = true;
      return page;
    }
    page.uploads.push_back(u);
    page.next_key_marker = u.key;
    page.next_upload_id_marker = u.upload_id;
    ++count;
  }
  return page;
}

}  // namespace edastack::s3
