#include "pipeline/resources/names.h"

namespace edastack::pipeline {

ResourceNames NamesWithPrefix(const std::string& prefix) {
  ResourceNames n;
  if (prefix.empty()) return n;
  for (std::string* s : {&n.bucket, &n.topic, &n.notifications_topic, &n.queue, &n.dlq,
                         &n.confirmation_queue, &n.table, &n.ingest_queue, &n.rule})
    *s = prefix + "-" + *s;
  return n;
}

}  // namespace edastack::pipeline
