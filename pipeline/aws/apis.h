// The typed AWS APIs the pipeline uses, bundled. Each service may sit on its own AwsClient
// (real AWS has one endpoint per service) or all on one (edastack, LocalStack, moto).
// Holds references to the clients, which must outlive it. Thread-safe when they are.
#pragma once

#include <string>

#include "pipeline/aws/dynamodb.h"
#include "pipeline/aws/events.h"
#include "pipeline/aws/s3.h"
#include "pipeline/aws/sns.h"
#include "pipeline/aws/sqs.h"

namespace edastack::pipeline::aws {

struct Apis {
  explicit Apis(client::AwsClient& all)
      : sqs(all), sns(all), dynamodb(all), events(all), s3(all), region(all.config().region) {}
  Apis(client::AwsClient& sqs_c, client::AwsClient& sns_c, client::AwsClient& ddb_c,
       client::AwsClient& events_c, client::AwsClient& s3_c)
      : sqs(sqs_c), sns(sns_c), dynamodb(ddb_c), events(events_c), s3(s3_c),
        region(sqs_c.config().region) {}

  Sqs sqs;
  Sns sns;
  DynamoDb dynamodb;
  Events events;
  S3 s3;
  std::string region;
};

}  // namespace edastack::pipeline::aws
