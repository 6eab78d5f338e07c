#include "pipeline/functions/batch_send.h"

namespace edastack::pipeline {
namespace {

// SendMessageBatch's limits (AWS, moto and LocalStack agree on these).
constexpr size_t kMaxSqsBatchEntries = 10;
constexpr size_t kMaxSqsBatchBytes = 256 * 1024;

AwsError MissingEntry() {
  return MakeError("BatchResultMissing", "the batch answer does not mention this entry", 500,
                   false);
}

}  // namespace

std::vector<size_t> ChunkEnds(const std::vector<size_t>& sizes, size_t max_entries,
                              size_t max_bytes) {
  std::vector<size_t> ends;
  size_t begin = 0, bytes = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i > begin && (i - begin >= max_entries || bytes + sizes[i] > max_bytes)) {
      ends.push_back(i);
      begin = i;
      bytes = 0;
    }
    bytes += sizes[i];
  }
  if (begin < sizes.size()) ends.push_back(sizes.size());
  return ends;
}

std::vector<Result<std::string>> PublishAll(aws::Sns& sns, const std::string& topic_arn,
                                            const std::vector<OutMessage>& messages) {
  std::vector<Result<std::string>> out(messages.size(), Result<std::string>(MissingEntry()));
  std::vector<size_t> sizes;
  for (const auto& m : messages) sizes.push_back(m.body.size() + m.subject.size());
  size_t begin = 0;
  for (size_t end : ChunkEnds(sizes, aws::kMaxPublishBatchEntries, aws::kMaxPublishBatchBytes)) {
    if (end - begin == 1) {
      out[begin] = sns.Publish(topic_arn, messages[begin].body, messages[begin].subject);
      begin = end;
      continue;
    }
    std::vector<aws::SnsBatchEntry> entries;
    for (size_t i = begin; i < end; ++i)
      entries.push_back({"m" + std::to_string(i - begin), messages[i].body, messages[i].subject});
    auto res = sns.PublishBatch(topic_arn, entries);
    for (size_t i = begin; i < end; ++i) {
      const std::string& id = entries[i - begin].id;
      if (!res.ok()) {
        out[i] = res.error();
        continue;
      }
      auto ok = res->successful.find(id);
      if (ok != res->successful.end()) {
        out[i] = ok->second;
        continue;
      }
      for (const auto& f : res->failed)
        if (f.first == id) out[i] = MakeError(f.second, "PublishBatch entry failed", 400);
    }
    begin = end;
  }
  return out;
}

std::vector<Status> SendAll(aws::Sqs& sqs, const std::string& queue_url,
                            const std::vector<std::string>& bodies) {
  std::vector<Status> out(bodies.size(), Status(MissingEntry()));
  std::vector<size_t> sizes;
  for (const auto& b : bodies) sizes.push_back(b.size());
  size_t begin = 0;
  for (size_t end : ChunkEnds(sizes, kMaxSqsBatchEntries, kMaxSqsBatchBytes)) {
    if (end - begin == 1) {
      auto sent = sqs.SendMessage(queue_url, bodies[begin]);
      out[begin] = sent.ok() ? OkStatus() : Status(sent.error());
      begin = end;
      continue;
    }
    std::vector<aws::BatchEntry> entries;
    for (size_t i = begin; i < end; ++i)
      entries.push_back({"m" + std::to_string(i - begin), bodies[i]});
    auto res = sqs.SendMessageBatch(queue_url, entries);
    for (size_t i = begin; i < end; ++i) {
      const std::string& id = entries[i - begin].id;
      if (!res.ok()) {
        out[i] = res.error();
        continue;
      }
      for (const auto& s : res->successful)
        if (s == id) out[i] = OkStatus();
      for (const auto& f : res->failed)
        if (f.first == id) out[i] = MakeError(f.second, "SendMessageBatch entry failed", 400);
    }
    begin = end;
  }
  return out;
}

}  // namespace edastack::pipeline
