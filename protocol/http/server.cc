#include "protocol/http/server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "protocol/core/log.h"
#include "protocol/core/strings.h"
#include "protocol/http/request_reader.h"

namespace edastack::http {

// Shared by the server and its connection threads; outlives the server when a thread is
// still parked at shutdown (it is detached and finishes later).
struct ServerState {
  std::mutex mu;
  std::condition_variable cv, done;
  // Guarded by mu:
  std::deque<std::function<void()>> jobs;
  size_t threads = 0, idle = 0;
  bool stop = false;
  std::unordered_set<int> connections;  // open connection sockets
};

namespace {

constexpr std::chrono::milliseconds kShutdownGrace{1000};

const char* Reason(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return status < 400 ? "OK" : "Error";
  }
}

// Sends every byte of the buffers; false on an error or a timeout.
bool SendAll(int fd, struct iovec* iov, int count) {
  while (count > 0) {
    struct msghdr msg;
    std::memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    size_t left = static_cast<size_t>(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

bool SendAll(int fd, const char* data, size_t n) {
  struct iovec iov = {const_cast<char*>(data), n};
  return SendAll(fd, &iov, 1);
}

// Starts a thread only when the idle ones cannot take every queued job, so an idle server
// keeps a handful while hundreds of long polls can still be parked. A job is a connection
// and holds its thread until the connection closes, so counting only "is any thread idle"
// is not enough: two connections accepted before one idle thread wakes would leave the
// second waiting for the first to close.
void Enqueue(const std::shared_ptr<ServerState>& st, size_t max_threads, std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(st->mu);
  st->jobs.push_back(std::move(fn));
  if (st->jobs.size() > st->idle && st->threads < max_threads) {
    ++st->threads;
    std::thread([st] {
      std::unique_lock<std::mutex> lock(st->mu);
      while (true) {
        ++st->idle;
        st->cv.wait(lock, [&] { return st->stop || !st->jobs.empty(); });
        --st->idle;
        if (st->jobs.empty()) break;  // stop
        auto job = std::move(st->jobs.front());
        st->jobs.pop_front();
        lock.unlock();
        job();
        lock.lock();
      }
      if (--st->threads == 0) st->done.notify_all();
    }).detach();
  } else {
    st->cv.notify_one();
  }
}

void SetTimeout(int fd, int option, int seconds) {
  struct timeval tv = {seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

std::string AddressText(const struct sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof text);
  else if (addr.ss_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text, sizeof text);
  return text;
}

}  // namespace

std::string ResponseHead(const Response& res, bool head_request, bool keep_alive,
                         uint64_t* body_length) {
  bool no_body = res.status < 200 || res.status == 204 || res.status == 304;
  uint64_t length = res.stream ? res.stream_length : res.body.size();
  std::string out;
  out.reserve(256);
  out += "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  out += Reason(res.status);
  out += "\r\n";
  bool has_type = false;
  std::string declared_length;
  for (const auto& kv : res.headers) {
    if (str::IEquals(kv.first, "Content-Length")) {
      declared_length = kv.second;
      continue;
    }
    if (str::IEquals(kv.first, "Connection")) continue;
    if (str::IEquals(kv.first, "Content-Type")) has_type = true;
    out += kv.first;
    out += ": ";
    out += kv.second;
    out += "\r\n";
  }
  if (!no_body) {
    if (!has_type && (res.stream || !res.body.empty()))
      out += res.stream ? "Content-Type: application/octet-stream\r\n" : "Content-Type: text/plain\r\n";
    out += "Content-Length: ";
    // A HEAD answer without a body keeps the length the handler declared (S3 HeadObject).
    out += head_request && length == 0 && !declared_length.empty() ? declared_length
                                                                   : std::to_string(length);
    out += "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  *body_length = head_request || no_body ? 0 : length;
  return out;
}

Server::Server(ServerOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)),
      state_(std::make_shared<ServerState>()) {}

Server::~Server() {
  Stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

int Server::Bind() {
  struct addrinfo hints;
  std::memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  struct addrinfo* found = nullptr;
  std::string port = std::to_string(options_.port);
  if (::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (auto* ai = found; ai; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd < 0) return -1;
  struct sockaddr_storage addr;
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  listen_fd_ = fd;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in&>(addr).sin_port);
}

void Server::Stop() {
  stopping_.store(true);
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
}

bool Server::Serve() {
  if (listen_fd_ < 0) return false;
  while (!stopping_.load()) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_.load()) break;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (errno == EINVAL) break;  // the listening socket was shut down
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    SetTimeout(fd, SO_RCVTIMEO, options_.idle_timeout_seconds);
    SetTimeout(fd, SO_SNDTIMEO, options_.write_timeout_seconds);
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->connections.insert(fd);
    }
    std::string remote = AddressText(addr);
    Enqueue(state_, options_.max_threads, [this, fd, remote] { ServeConnection(fd, remote); });
  }
  // Close every connection: a thread blocked reading sees the end of its stream; one inside
  // a handler finishes it and finds its socket gone.
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->stop = true;
  for (int fd : state_->connections) ::shutdown(fd, SHUT_RDWR);
  state_->cv.notify_all();
  state_->done.wait_for(lock, kShutdownGrace, [this] { return state_->threads == 0; });
  if (state_->threads)
    log::Debug(std::to_string(state_->threads) + " connection threads still busy at shutdown");
  return true;
}

bool Server::Drained() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->threads == 0;
}

void Server::ServeConnection(int fd, const std::string& remote) {
  RequestReader reader([fd](char* buf, size_t n) -> long {
    while (true) {
      ssize_t r = ::recv(fd, buf, n, 0);
      if (r < 0 && errno == EINTR) continue;
      return static_cast<long>(r);
    }
  });
  bool lingering_close = false;
  while (!stopping_.load()) {
    Request req;
    RequestReader::Head head;
    auto status = reader.ReadHead(&req, &head);
    if (status == RequestReader::HeadStatus::kClosed || status == RequestReader::HeadStatus::kError)
      break;
    if (status != RequestReader::HeadStatus::kOk) {
      Response bad;
      bad.status = status == RequestReader::HeadStatus::kTooLarge ? 431 : 400;
      uint64_t n;
      std::string text = ResponseHead(bad, false, false, &n);
      SendAll(fd, text.data(), text.size());
      lingering_close = true;
      break;
    }
    req.remote_addr = remote;
    if (reader.BodyPending()) {
      if (head.expect_continue) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (!SendAll(fd, kContinue, sizeof kContinue - 1)) break;
      }
      req.body_reader = [&reader](const std::function<bool(const char*, size_t)>& sink) {
        return reader.ReadBody(sink);
      };
    }
    Response res;
    try {
      res = handler_(req);
    } catch (const std::exception& e) {
      log::Error(std::string("unhandled exception: ") + e.what());
      res = Response();
      res.status = 500;
      res.SetHeader("Content-Type", error_content_type);
      res.body = error_body;
    }
    bool keep_alive = head.keep_alive && !stopping_.load();
    // Whatever the handler left unread is drained so the next request starts in sync.
    if (!reader.ReadBody([](const char*, size_t) { return true; })) {
      keep_alive = false;
      lingering_close = true;
    }
    bool head_request = req.method == "HEAD";
    uint64_t body_length = 0;
    std::string text = ResponseHead(res, head_request, keep_alive, &body_length);
    bool sent;
    if (res.stream && body_length > 0) {
      sent = SendAll(fd, text.data(), text.size());
      uint64_t written = 0;
      if (sent) {
        sent = res.stream([&](const char* d, size_t n) {
          written += n;
          return written <= body_length && SendAll(fd, d, n);
        });
      }
      sent = sent && written == body_length;
    } else {
      struct iovec iov[2] = {{text.data(), text.size()},
                             {const_cast<char*>(res.body.data()), static_cast<size_t>(body_length)}};
      sent = SendAll(fd, iov, body_length > 0 ? 2 : 1);
    }
    if (!sent || !keep_alive) break;
  }
  if (lingering_close) {
    // Let the answer reach the client before the close: unread request bytes would turn the
    // close into a reset that can destroy it (RFC 9112 §9.6).
    ::shutdown(fd, SHUT_WR);
    SetTimeout(fd, SO_RCVTIMEO, 1);
    char sink[16 * 1024];
    for (int i = 0; i < 64 && ::recv(fd, sink, sizeof sink, 0) > 0; ++i) {
    }
  }
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->connections.erase(fd);
  ::close(fd);
}

}  // namespace edastack::http
