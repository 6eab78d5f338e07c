// http::Server over real sockets: raw bytes in, raw bytes out.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "protocol/http/server.h"

using namespace edastack;

namespace {

// A server on a free port whose handler echoes the request and streams /stream answers.
struct EchoServer {
  http::Server server;
  int port;
  std::thread thread;

  EchoServer()
      : server(http::ServerOptions{"127.0.0.1", 0, 16, 5, 5}, [](http::Request& req) {
          http::Response res;
          if (req.target == "/throw") throw std::runtime_error("boom");
          if (req.target == "/stream") {
            res.stream_length = 6;
            res.stream = [](const std::function<bool(const char*, size_t)>& write) {
              return write("abc", 3) && write("def", 3);
            };
            return res;
          }
          if (req.target == "/ignore-body") {
            res.status = 204;
            return res;
          }
          std::string body;
          if (req.body_reader)
            req.body_reader([&](const char* d, size_t n) {
              body.append(d, n);
              return true;
            });
          res.SetHeader("Content-Type", "text/x-echo");
          if (req.method == "HEAD") res.SetHeader("Content-Length", "42");
          res.body = req.method + " " + req.target + "?" + req.raw_query + " [" + body + "] " +
                     req.remote_addr;
          return res;
        }) {
    port = server.Bind();
    REQUIRE(port > 0);
    thread = std::thread([this] { server.Serve(); });
  }
  ~EchoServer() {
    server.Stop();
    thread.join();
  }
};

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  struct timeval tv = {5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

void Send(int fd, const std::string& s) { REQUIRE(::send(fd, s.data(), s.size(), 0) == static_cast<ssize_t>(s.size())); }

// Reads until `want` bytes arrived or the peer closed.
std::string Receive(int fd, size_t want = SIZE_MAX) {
  std::string out;
  char buf[4096];
  while (out.size() < want) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

TEST_CASE("keep-alive, pipelining and one close at the end", "[http][server]") {
  EchoServer s;
  int fd = Connect(s.port);
  Send(fd,
       "POST /a?x=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
       "GET /b HTTP/1.1\r\nConnection: close\r\n\r\n");
  std::string all = Receive(fd);
  ::close(fd);
  std::string first = "POST /a?x=1 [abc] 127.0.0.1";
  CHECK(all ==
        "HTTP/1.1 200 OK\r\nContent-Type: text/x-echo\r\nContent-Length: " + std::to_string(first.size()) +
            "\r\n\r\n" + first +
            "HTTP/1.1 200 OK\r\nContent-Type: text/x-echo\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
            "GET /b? [] 127.0.0.1");
}

TEST_CASE("100-continue, chunked upload, an unread body drained, streamed answer", "[http][server]") {
  EchoServer s;
  int fd = Connect(s.port);
  Send(fd, "PUT /up HTTP/1.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK(Receive(fd, 25) == "HTTP/1.1 100 Continue\r\n\r\n");
  Send(fd, "4\r\nwxyz\r\n0\r\n\r\n");
  std::string echoed = "PUT /up? [wxyz] 127.0.0.1";
  std::string want = "HTTP/1.1 200 OK\r\nContent-Type: text/x-echo\r\nContent-Length: " +
                     std::to_string(echoed.size()) + "\r\n\r\n" + echoed;
  CHECK(Receive(fd, want.size()) == want);

  Send(fd, "PUT /ignore-body HTTP/1.1\r\nContent-Length: 5\r\n\r\n12345GET /stream HTTP/1.1\r\n\r\n");
  std::string no_content = "HTTP/1.1 204 No Content\r\n\r\n";
  std::string stream = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 6\r\n\r\nabcdef";
  CHECK(Receive(fd, no_content.size() + stream.size()) == no_content + stream);

  Send(fd, "HEAD /h HTTP/1.1\r\n\r\n");
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/x-echo\r\nContent-Length: ";
  CHECK(Receive(fd, head.size()).substr(0, head.size()) == head);
  ::close(fd);
}

TEST_CASE("bad requests get 400 or 431 and a close; a throwing handler a 500", "[http][server]") {
  EchoServer s;
  int fd = Connect(s.port);
  Send(fd, "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n");
  CHECK(Receive(fd) == "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  ::close(fd);

  fd = Connect(s.port);
  Send(fd, "GET / HTTP/1.1\r\nX: " + std::string(70000, 'a') + "\r\n\r\n");
  CHECK(Receive(fd).substr(0, 46) == "HTTP/1.1 431 Request Header Fields Too Large\r\n");
  ::close(fd);

  fd = Connect(s.port);
  Send(fd, "GET /throw HTTP/1.1\r\nConnection: close\r\n\r\n");
  std::string all = Receive(fd);
  CHECK(all.substr(0, 36) == "HTTP/1.1 500 Internal Server Error\r\n");
  CHECK(all.find("InternalFailure") != std::string::npos);
  ::close(fd);
}

TEST_CASE("Stop closes idle keep-alive connections and drains", "[http][server]") {
  auto s = std::make_unique<EchoServer>();
  int fd = Connect(s->port);
  Send(fd, "GET /x HTTP/1.1\r\n\r\n");
  CHECK(!Receive(fd, 20).empty());
  s->server.Stop();
  s->thread.join();
  CHECK(s->server.Drained());
  CHECK(Receive(fd).empty());  // the server closed it
  ::close(fd);
  s->thread = std::thread([] {});
}

TEST_CASE("a connection accepted while another waits for an idle thread is served at once", "[http][server]") {
  // Each connection holds its thread until it closes: with one idle thread and two new
  // connections, the second must get a thread of its own, not wait for the first to close.
  EchoServer s;
  for (int round = 0; round < 20; ++round) {
    int a = Connect(s.port);
    Send(a, "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n");
    CHECK(!Receive(a).empty());
    ::close(a);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // its thread is idle again
    int b = Connect(s.port);
    int c = Connect(s.port);
    Send(c, "GET /c HTTP/1.1\r\n\r\n");
    std::string answer = Receive(c, 20);  // 5 s receive timeout
    REQUIRE(answer.substr(0, 15) == "HTTP/1.1 200 OK");
    ::close(b);
    ::close(c);
  }
}

TEST_CASE("response heads", "[http][server]") {
  uint64_t n = 0;
  http::Response r;
  r.status = 404;
  r.body = "nope";
  CHECK(http::ResponseHead(r, false, true, &n) == "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\n");
  CHECK(n == 4);
  CHECK(http::ResponseHead(r, true, true, &n) == "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\n");
  CHECK(n == 0);
  http::Response nm;
  nm.status = 304;
  nm.SetHeader("ETag", "\"e\"");
  nm.SetHeader("Content-Length", "99");
  CHECK(http::ResponseHead(nm, false, false, &n) == "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\nConnection: close\r\n\r\n");
  CHECK(n == 0);
}
