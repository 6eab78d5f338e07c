#include "pipeline/runtime/pipeline.h"

namespace edastack::pipeline {

Pipeline::Pipeline(aws::Apis& apis, Environment env, const Clock& clock, PipelineOptions options)
    : apis_(apis),
      env_(std::move(env)),
      clock_(clock),
      options_(std::move(options)),
      client_first_(std::chrono::milliseconds(options_.function_yield_ms),
                    options_.function_yield_busy) {
  ingest_ = std::make_unique<IngestFunction>(Context());
  processor_ = std::make_unique<ProcessorFunction>(Context());
  confirmation_ = std::make_unique<ConfirmationFunction>(Context());
  api_ = std::make_unique<HttpApi>(Context(),
                                   options_.function_yield_ms > 0 ? &client_first_ : nullptr);
  metrics_.AddGaugeProvider([this] {
    std::vector<std::pair<std::string, double>> out;
    std::pair<const char*, std::string> queues[] = {{"main", env_.queue_url},
                                                    {"dlq", env_.dlq_url},
                                                    {"confirmation", env_.confirmation_queue_url},
                                                    {"ingest", env_.ingest_queue_url}};
    for (const auto& q : queues) {
      auto attrs = apis_.sqs.GetQueueAttributes(
          q.second, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
      if (!attrs.ok()) continue;
      double visible = std::atof((*attrs)["ApproximateNumberOfMessages"].c_str());
      double hidden = std::atof((*attrs)["ApproximateNumberOfMessagesNotVisible"].c_str());
      std::string label = std::string("{queue=\"") + q.first + "\"}";
      out.emplace_back("edastack_pipeline_queue_depth" + label, visible);
      out.emplace_back("edastack_pipeline_queue_in_flight" + label, hidden);
      if (std::string(q.first) == "dlq") out.emplace_back("edastack_pipeline_dlq_depth", visible);
    }
    // The API's group commit: publish calls made and events they carried.
    out.emplace_back("edastack_pipeline_api_publish_calls", api_->publishes().calls());
    out.emplace_back("edastack_pipeline_api_published_events", api_->publishes().messages());
    // The functions yielding to the API (client_first.h): requests being served now, and
    // batches held back behind them since start.
    out.emplace_back("edastack_pipeline_api_requests_in_flight", client_first_.in_flight());
    out.emplace_back("edastack_pipeline_function_batches_held", client_first_.waits());
    return out;
  });
}

Pipeline::~Pipeline() { Stop(); }

FunctionContext Pipeline::Context() { return FunctionContext{apis_, env_, clock_, metrics_}; }

Status Pipeline::Start() {
  if (options_.api) {
    api_port_ = api_->Bind(options_.api_host, options_.api_port);
    if (api_port_ <= 0)
      return MakeError("BindFailed", "cannot bind the API on " + options_.api_host + ":" +
                                         std::to_string(options_.api_port));
    api_->Start();
  }
  auto add = [&](const char* fn, const std::string& url, int concurrency,
                 Poller::BatchHandler h) {
    PollerOptions o;
    o.function = fn;
    o.queue_url = url;
    o.batch_size = options_.batch_size;
    o.concurrency = concurrency;
    o.wait_seconds = options_.wait_seconds;
    o.retry_visibility_seconds = options_.retry_visibility_seconds;
    o.nice = options_.function_nice;
    if (options_.function_yield_ms > 0) o.client_first = &client_first_;
    pollers_.push_back(std::make_unique<Poller>(apis_.sqs, o, std::move(h)));
    pollers_.back()->Start();
  };
  add(IngestFunction::kName, env_.ingest_queue_url, options_.other_concurrency,
      [this](const std::vector<aws::SqsMessage>& batch) { return ingest_->HandleBatch(batch); });
  add(ProcessorFunction::kName, env_.queue_url, options_.processor_concurrency,
      [this](const std::vector<aws::SqsMessage>& batch) { return processor_->HandleBatch(batch); });
  add(ConfirmationFunction::kName, env_.confirmation_queue_url, options_.other_concurrency,
      [this](const std::vector<aws::SqsMessage>& batch) { return confirmation_->HandleBatch(batch); });
  return OkStatus();
}

void Pipeline::Stop() {
  if (api_) api_->Stop();
  client_first_.Release();
  // Signal every poller first so their long polls end together.
  std::vector<std::thread> stoppers;
  for (auto& p : pollers_) stoppers.emplace_back([&p] { p->Stop(); });
  for (auto& t : stoppers) t.join();
  pollers_.clear();
}

}  // namespace edastack::pipeline
