// Typed SQS calls (JSON 1.0 protocol) over client::AwsClient. One method per AWS operation.
// Holds a reference to the client (which must outlive it). Thread-safe when the client is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "protocol/client/aws_client.h"
#include "protocol/core/result.h"

namespace edastack::pipeline::aws {

struct SqsMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::map<std::string, std::string> attributes;  // system attributes (ApproximateReceiveCount..)
  int ReceiveCount() const;                        // 0 when not reported
};

struct BatchEntry {
  std::string id;       // [A-Za-z0-9_-]{1,80}
  std::string value;    // receipt handle (delete/visibility) or body (send)
  int visibility = 0;   // ChangeMessageVisibilityBatch only
};

struct BatchOutcome {
  std::vector<std::string> successful;                              // entry ids
  std::vector<std::pair<std::string, std::string>> failed;          // id, code
};

class Sqs {
 public:
  explicit Sqs(client::AwsClient& client) : client_(client) {}

  Result<std::string> CreateQueue(const std::string& name,
                                  const std::map<std::string, std::string>& attributes);
  Result<std::string> GetQueueUrl(const std::string& name);
  Result<std::map<std::string, std::string>> GetQueueAttributes(
      const std::string& url, const std::vector<std::string>& names = {"All"});
  Status SetQueueAttributes(const std::string& url,
                            const std::map<std::string, std::string>& attributes);
  Status DeleteQueue(const std::string& url);
  Status PurgeQueue(const std::string& url);
  // Returns the MessageId.
  Result<std::string> SendMessage(const std::string& url, const std::string& body);
  Result<BatchOutcome> SendMessageBatch(const std::string& url,
                                        const std::vector<BatchEntry>& entries);
  Result<std::vector<SqsMessage>> ReceiveMessage(const std::string& url, int max_messages,
                                                 int wait_seconds, int visibility_timeout = -1);
  Status DeleteMessage(const std::string& url, const std::string& receipt_handle);
  Result<BatchOutcome> DeleteMessageBatch(const std::string& url,
                                          const std::vector<BatchEntry>& entries);
  Result<BatchOutcome> ChangeMessageVisibilityBatch(const std::string& url,
                                                    const std::vector<BatchEntry>& entries);

 private:
  Result<nlohmann::json> Call(const std::string& op, const nlohmann::json& body);
  client::AwsClient& client_;
};

// The queue name: the last path segment of a queue URL.
std::string QueueNameFromUrl(const std::string& url);

}  // namespace edastack::pipeline::aws
