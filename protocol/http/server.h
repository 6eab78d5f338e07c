// An HTTP/1.1 server for the emulator's port and the pipeline's API: one thread per
// connection, blocking sockets, keep-alive and pipelining, Content-Length and chunked request
// bodies streamed to the handler, `Expect: 100-continue`, and responses written with one
// writev. It replaces cpp-httplib's server on the hot path: httplib 0.11 makes ~12 system
// calls per request (a poll before every read and write, getpeername and getsockname per
// request, head and body in two sends) and wakes ~90 times a second per idle keep-alive
// connection; this one makes ~3 (recv, writev, and the recv that waits) and none while a
// connection idles. Measured in bench/ (README, Performance).
//
// Thread-safety: Bind, Serve and Drained are called from one thread; Stop may be called from
// any thread or from a signal handler (it only stores a flag and shuts the listening socket).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "protocol/http/message.h"

namespace edastack::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 picks a free port
  // Connection threads are started on demand up to this many; further connections wait.
  size_t max_threads = 1024;
  // A connection that sends nothing for this long (idle keep-alive, or stalled inside a
  // request) is closed. An idle connection costs a parked thread and no CPU.
  int idle_timeout_seconds = 30;
  int write_timeout_seconds = 60;
};

// Called once per request on the connection's thread. A body, if any, is left to be streamed
// through req.body_reader; whatever the handler leaves unread is drained afterwards. May throw:
// the client gets 500 with `error_body`.
using Handler = std::function<Response(Request&)>;

struct ServerState;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (backlog SOMAXCONN); returns the bound port, or -1.
  int Bind();
  // Accepts until Stop(); then closes every connection and waits up to a second for their
  // threads. Returns false if it was never bound.
  bool Serve();
  void Stop();
  // After Serve() returned: true when no connection thread is still running (a handler
  // parked in a long poll may outlive Serve until its wait ends).
  bool Drained() const;

  // The body of a 500 answer when the handler throws (set before Serve).
  std::string error_body = R"({"__type":"InternalFailure","message":"internal error"})";
  std::string error_content_type = "application/json";

 private:
  void ServeConnection(int fd, const std::string& remote);

  ServerOptions options_;
  Handler handler_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::shared_ptr<ServerState> state_;
};

// The status line and header fields of a response, ending with the empty line. Adds
// Content-Length (except for 1xx, 204 and 304; a HEAD answer keeps the handler's), a
// Content-Type when there is a body without one, and "Connection: close" when !keep_alive.
// *body_length is the number of body bytes to send after it.
std::string ResponseHead(const Response& res, bool head_request, bool keep_alive,
                         uint64_t* body_length);

}  // namespace edastack::http
