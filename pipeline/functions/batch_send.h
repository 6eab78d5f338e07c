// Sends a set of messages in as few calls as AWS allows: PublishBatch / SendMessageBatch
// chunks within AWS's limits (10 entries, 256 KiB of bodies per call), a plain Publish /
// SendMessage for a chunk of one. Each message's outcome comes back in input order; a call
// that fails as a whole fails every message of its chunk. Stateless and thread-safe when
// the APIs are.
#pragma once

#include <string>
#include <vector>

#include "pipeline/aws/sns.h"
#include "pipeline/aws/sqs.h"

namespace edastack::pipeline {

struct OutMessage {
  std::string body;
  std::string subject;  // SNS only; may be empty
};

// The MessageId of each published message, or its error.
std::vector<Result<std::string>> PublishAll(aws::Sns& sns, const std::string& topic_arn,
                                            const std::vector<OutMessage>& messages);
std::vector<Status> SendAll(aws::Sqs& sqs, const std::string& queue_url,
                            const std::vector<std::string>& bodies);

// Splits [0, sizes.size()) into consecutive chunks of at most `max_entries` whose sizes sum
// to at most `max_bytes` (a single larger element is a chunk of its own). Returns the chunk
// ends. Exposed for tests.
std::vector<size_t> ChunkEnds(const std::vector<size_t>& sizes, size_t max_entries,
                              size_t max_bytes);

}  // namespace edastack::pipeline
