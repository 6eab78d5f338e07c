// What SNS subscribers receive: the JSON envelopes (PROTOCOLS.md §3.1), the Lambda event,
// the strings AWS signs, and the filter-policy document of message attributes.
// Pure functions, thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "emulator/sns/sns_signer.h"
#include "emulator/sns/sns_types.h"

namespace edastack::sns {

// The text a subscriber of `protocol` gets: with MessageStructure=json the protocol's key,
// else "default"; otherwise the message itself.
std::string MessageFor(const PublishEntry& entry, const std::string& protocol);

// AWS's canonical strings to sign.
std::string NotificationStringToSign(const std::string& message, const std::string& message_id,
                                     const std::string& subject, const std::string& timestamp,
                                     const std::string& topic_arn);
std::string ConfirmationStringToSign(const std::string& type, const std::string& message,
                                     const std::string& message_id,
                                     const std::string& subscribe_url,
                                     const std::string& timestamp, const std::string& token,
                                     const std::string& topic_arn);

struct EnvelopeLinks {
  std::string signing_cert_url;
  std::string unsubscribe_url;
  std::string signature_version = "1";
  // The notification's signature when already made (Fanout::signature), else empty: sign now.
  std::string signature;
};

// The Notification envelope, keys in AWS order, minified.
std::string NotificationJson(const PublishedMessage& m, const std::string& message,
                             const EnvelopeLinks& links, const Signer& signer);

// The signature of the envelope of `message`, made now: Dispatch calls it on the publishing
// thread and keeps it in the Fanout, so the delivery lanes never sign (a backlog larger than
// the signer's memo would otherwise be signed twice).
std::string NotificationSignature(const PublishedMessage& m, const std::string& message,
                                const std::string& signature_version, const Signer& signer);

// The SubscriptionConfirmation document sent to http(s) endpoints.
std::string ConfirmationJson(const std::string& message_id, const std::string& token,
                             const std::string& topic_arn, const std::string& subscribe_url,
                             int64_t timestamp_ms, const EnvelopeLinks& links,
                             const Signer& signer);

// The event an SNS-triggered Lambda function receives ({"Records":[{"EventSource":"aws:sns",
// ..., "Sns":{...}}]}).
std::string LambdaEventJson(const PublishedMessage& m, const std::string& message,
                            const std::string& subscription_arn, const EnvelopeLinks& links,
                            const Signer& signer);

// {"name":{"Type":"String","Value":"x"}, ...} as in the envelope.
nlohmann::ordered_json EnvelopeAttributes(const MessageAttributes& attrs);
// The document filter::Pattern matches for FilterPolicyScope=MessageAttributes.
nlohmann::json FilterDocument(const MessageAttributes& attrs);

}  // namespace edastack::sns
