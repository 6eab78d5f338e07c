#include "emulator/server/http_server.h"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "protocol/core/log.h"
#include "protocol/http/listen.h"

namespace edastack {
struct PoolState {
  std::mutex mu;
  std::condition_variable cv, done;
  // Guarded by mu:
  std::deque<std::function<void()>> jobs;
  size_t threads = 0, idle = 0;
  bool stop = false;
};

namespace {

// A task queue that starts threads only when every existing one is busy, so an idle
// server keeps a handful of threads while hundreds of long polls can still be parked.
// Shutdown waits at most kShutdownGrace for busy threads (a client's idle keep-alive
// connection holds one for up to the keep-alive timeout) and detaches the rest; their
// shared state outlives the pool, so a late thread never touches freed memory.

class GrowingPool : public httplib::TaskQueue {
 public:
  using State = PoolState;
  GrowingPool(std::shared_ptr<State> state, size_t max_threads)
      : state_(std::move(state)), max_(max_threads) {}
  ~GrowingPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->jobs.push_back(std::move(fn));
    if (state_->idle == 0 && state_->threads < max_) {
      ++state_->threads;
      std::thread([st = state_] { Work(st); }).detach();
    } else {
      state_->cv.notify_one();
    }
  }

  void shutdown() override {
    std::unique_lock<std::mutex> lock(state_->mu);
    if (state_->stop) return;
    state_->stop = true;
    state_->cv.notify_all();
    state_->done.wait_for(lock, kShutdownGrace, [this] { return state_->threads == 0; });
    if (state_->threads)
      log::Debug(std::to_string(state_->threads) + " connection threads still busy at shutdown");
  }

 private:
  static constexpr std::chrono::milliseconds kShutdownGrace{1000};

  static void Work(std::shared_ptr<State> st) {
    std::unique_lock<std::mutex> lock(st->mu);
    while (true) {
      ++st->idle;
      st->cv.wait(lock, [&] { return st->stop || !st->jobs.empty(); });
      --st->idle;
      if (st->jobs.empty()) break;  // stop
      auto fn = std::move(st->jobs.front());
      st->jobs.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
    if (--st->threads == 0) st->done.notify_all();
  }

  std::shared_ptr<State> state_;
  const size_t max_;
};

http::Request Convert(const httplib::Request& in) {
  http::Request out;
  out.method = in.method;
  size_t q = in.target.find('?');
  out.target = q == std::string::npos ? in.target : in.target.substr(0, q);
  out.raw_query = q == std::string::npos ? "" : in.target.substr(q + 1);
  out.query = str::ParseForm(out.raw_query, true);
  for (const auto& kv : in.headers) out.headers.emplace(kv.first, kv.second);
  out.remote_addr = in.remote_addr;
  return out;
}

void WriteResponse(const httplib::Request& in, http::Response&& res, httplib::Response& out) {
  // Ranges and compression are the services' business: stop httplib from applying its own
  // (it reads them from the request after the handler returns).
  auto& mutable_in = const_cast<httplib::Request&>(in);
  mutable_in.ranges.clear();
  mutable_in.headers.erase("Accept-Encoding");
  out.status = res.status;
  std::string content_type;
  for (auto& kv : res.headers) {
    if (str::IEquals(kv.first, "Content-Type")) {
      content_type = kv.second;
      continue;
    }
    if (str::IEquals(kv.first, "Content-Length")) continue;
    out.headers.emplace(kv.first, kv.second);
  }
  if (res.stream) {
    auto writer = std::move(res.stream);
    uint64_t length = res.stream_length;
    out.set_content_provider(
        length, content_type.empty() ? "application/octet-stream" : content_type,
        [writer, started = false](size_t offset, size_t, httplib::DataSink& sink) mutable {
          if (started) return false;
          started = true;
          return writer([&](const char* d, size_t n) { return sink.write(d, n); });
        });
    return;
  }
  if (in.method == "HEAD" && res.body.empty()) {
    // Keep a Content-Length the service set for HEAD (S3 HeadObject).
    auto it = res.headers.find("Content-Length");
    if (it != res.headers.end()) out.set_header("Content-Length", it->second);
    if (!content_type.empty()) out.set_header("Content-Type", content_type);
    return;
  }
  out.body = std::move(res.body);
  if (!content_type.empty()) out.set_header("Content-Type", content_type);
  else if (!out.body.empty()) out.set_header("Content-Type", "text/plain");
}

}  // namespace

HttpServer::HttpServer(Emulator& emulator, HttpServerOptions options)
    : emulator_(emulator), options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
  auto& svr = *server_;
  size_t max_threads = options_.max_threads;
  pool_ = std::make_shared<PoolState>();
  svr.new_task_queue = [max_threads, pool = pool_] { return new GrowingPool(pool, max_threads); };
  svr.set_tcp_nodelay(true);
  svr.set_keep_alive_max_count(1000000);
  // cpp-httplib 0.11 waits for the next request on an idle keep-alive connection by polling
  // it (~90 wake-ups a second each): 256 idle pooled connections cost ~34 % of a core. Idle
  // connections are therefore closed after 5 s (SDKs reconnect, and retry a request that
  // raced the close).
  svr.set_keep_alive_timeout(5);
  svr.set_read_timeout(60, 0);
  svr.set_write_timeout(60, 0);
  svr.set_payload_max_length(static_cast<size_t>(-1));

  auto plain = [this](const httplib::Request& in, httplib::Response& out) {
    http::Request req = Convert(in);
    req.body = in.body;
    WriteResponse(in, emulator_.Handle(req), out);
  };
  auto streamed = [this](const httplib::Request& in, httplib::Response& out,
                         const httplib::ContentReader& reader) {
    http::Request req = Convert(in);
    // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
    // §6.3); httplib would read one until the connection closes.
    if (!in.has_header("Content-Length") && !in.has_header("Transfer-Encoding")) {
      WriteResponse(in, emulator_.Handle(req), out);
      return;
    }
    req.body_reader = [&reader](const std::function<bool(const char*, size_t)>& sink) {
      return reader([&sink](const char* d, size_t n) { return sink(d, n); });
    };
    if (in.is_multipart_form_data()) {
      // httplib only hands out multipart bodies part by part: re-frame them with the
      // original boundary so the service sees the body as sent (S3 browser POST uploads).
      std::string ct = in.get_header_value("Content-Type");
      size_t b = ct.find("boundary=");
      std::string boundary = b == std::string::npos ? "" : ct.substr(b + 9);
      if (!boundary.empty() && boundary.front() == '"')
        boundary = boundary.substr(1, boundary.find('"', 1) - 1);
      boundary = boundary.substr(0, boundary.find(';'));
      req.body_reader = [&reader, boundary](const std::function<bool(const char*, size_t)>& sink) {
        bool first = true;
        bool ok = reader(
            [&](const httplib::MultipartFormData& part) {
              std::string head = std::string(first ? "" : "\r\n") + "--" + boundary +
                                 "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
              if (!part.filename.empty()) head += "; filename=\"" + part.filename + "\"";
              head += "\r\n";
              if (!part.content_type.empty()) head += "Content-Type: " + part.content_type + "\r\n";
              head += "\r\n";
              first = false;
              return sink(head.data(), head.size());
            },
            [&](const char* d, size_t n) { return sink(d, n); });
        if (!ok) return false;
        std::string tail = "\r\n--" + boundary + "--\r\n";
        return sink(tail.data(), tail.size());
      };
    }
    http::Response res = emulator_.Handle(req);
    if (req.body_reader) {
      // The service answered without reading the body: drain it so the connection stays
      // in sync (PROTOCOLS.md §1.5).
      req.body_reader([](const char*, size_t) { return true; });
    }
    WriteResponse(in, std::move(res), out);
  };
  svr.Get(".*", plain);
  svr.Options(".*", plain);
  svr.Post(".*", streamed);
  svr.Put(".*", streamed);
  svr.Patch(".*", streamed);
  svr.Delete(".*", streamed);
  // Bodiless POST/PUT/DELETE (no Content-Length) reach the plain handlers.
  svr.Post(".*", plain);
  svr.Put(".*", plain);
  svr.Delete(".*", plain);
  svr.Patch(".*", plain);
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                               std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::Error("unhandled exception: " + what);
    res.status = 500;
    res.set_content(R"({"__type":"InternalFailure","message":"internal error"})", "application/json");
  });
}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::Bind() {
  return http::BindWithBacklog(*server_, options_.host, options_.port);
}

bool HttpServer::Serve() { return server_->listen_after_bind(); }

bool HttpServer::Drained() const {
  std::lock_guard<std::mutex> lock(pool_->mu);
  return pool_->threads == 0;
}

void HttpServer::Stop() {
  if (server_) server_->stop();
}

}  // namespace edastack
