#include <catch2/catch.hpp>

#include <algorithm>

#include "protocol/http/request_reader.h"

using namespace edastack;
using http::RequestReader;
using Status = RequestReader::HeadStatus;

namespace {

// A byte source that hands out `wire` at most `step` bytes per read (1 exercises every
// boundary), then reports the end of the stream.
struct Source {
  std::string wire;
  size_t step;
  size_t pos = 0;
  long Read(char* buf, size_t n) {
    size_t k = std::min({n, step, wire.size() - pos});
    std::copy(wire.data() + pos, wire.data() + pos + k, buf);
    pos += k;
    return static_cast<long>(k);
  }
};

struct Parsed {
  Status status;
  http::Request req;
  RequestReader::Head head;
  std::string body;
  bool body_ok = true;
};

std::vector<Parsed> ReadAll(const std::string& wire, size_t step) {
  Source src{wire, step};
  RequestReader reader([&src](char* b, size_t n) { return src.Read(b, n); });
  std::vector<Parsed> out;
  while (true) {
    Parsed p;
    p.status = reader.ReadHead(&p.req, &p.head);
    if (p.status != Status::kOk) {
      out.push_back(std::move(p));
      return out;
    }
    p.body_ok = reader.ReadBody([&p](const char* d, size_t n) {
      p.body.append(d, n);
      return true;
    });
    out.push_back(std::move(p));
    if (!out.back().body_ok) return out;
  }
}

const size_t kSteps[] = {1, 3, 7, 1 << 20};

}  // namespace

TEST_CASE("request line, query and header fields", "[http][reader]") {
  for (size_t step : kSteps) {
    auto all = ReadAll(
        "GET /bucket/a%20b?list-type=2&prefix=x+y HTTP/1.1\r\nHost: localhost:4566\r\n"
        "X-Amz-Meta-Color:   blue  \r\nx-amz-meta-color: red\r\n\r\n",
        step);
    REQUIRE(all.size() == 2);
    const auto& p = all[0];
    REQUIRE(p.status == Status::kOk);
    CHECK(p.req.method == "GET");
    CHECK(p.req.target == "/bucket/a%20b");
    CHECK(p.req.raw_query == "list-type=2&prefix=x+y");
    CHECK(p.req.Query("prefix") == "x y");
    CHECK(p.req.Header("host") == "localhost:4566");
    CHECK(p.req.headers.count("X-AMZ-META-COLOR") == 2);
    CHECK(p.req.Header("x-amz-meta-color") == "blue");
    CHECK(p.head.keep_alive);
    CHECK(p.body.empty());
    CHECK(all[1].status == Status::kClosed);
  }
}

TEST_CASE("Content-Length bodies, pipelined requests, bare LF line ends", "[http][reader]") {
  for (size_t step : kSteps) {
    auto all = ReadAll(
        "\r\nPOST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloPUT /b/k HTTP/1.1\nContent-Length:  3\n\nabc"
        "DELETE /b/k HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        step);
    REQUIRE(all.size() == 4);
    CHECK(all[0].req.method == "POST");
    CHECK(all[0].body == "hello");
    CHECK(all[1].req.method == "PUT");
    CHECK(all[1].body == "abc");
    CHECK(all[2].req.method == "DELETE");
    CHECK(all[2].head.minor_version == 0);
    CHECK(all[2].head.keep_alive);
    CHECK(all[3].status == Status::kClosed);
  }
}

TEST_CASE("chunked bodies are decoded, extensions and trailers dropped", "[http][reader]") {
  for (size_t step : kSteps) {
    auto all = ReadAll(
        "PUT /b/k HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
        "5;name=v\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nx-trailer: 1\r\n\r\n"
        "GET /next HTTP/1.1\r\nConnection: close\r\n\r\n",
        step);
    REQUIRE(all.size() == 3);
    CHECK(all[0].head.expect_continue);
    CHECK(all[0].body == "helloabcdefghijklmnopqrstuvwxyz");
    CHECK(all[1].req.target == "/next");
    CHECK_FALSE(all[1].head.keep_alive);
  }
}

TEST_CASE("a body the handler stops reading fails; a truncated one fails", "[http][reader]") {
  Source src{"PUT /b HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", 4};
  RequestReader reader([&src](char* b, size_t n) { return src.Read(b, n); });
  http::Request req;
  RequestReader::Head head;
  REQUIRE(reader.ReadHead(&req, &head) == Status::kOk);
  CHECK_FALSE(reader.ReadBody([](const char*, size_t) { return false; }));

  auto cut = ReadAll("PUT /b HTTP/1.1\r\nContent-Length: 10\r\n\r\n01234", 3);
  REQUIRE(cut.size() == 1);
  CHECK_FALSE(cut[0].body_ok);
  auto bad_chunk = ReadAll("PUT /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100);
  REQUIRE(bad_chunk.size() == 1);
  CHECK_FALSE(bad_chunk[0].body_ok);
  auto no_crlf = ReadAll("PUT /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n", 100);
  CHECK_FALSE(no_crlf[0].body_ok);
}

TEST_CASE("malformed heads are rejected", "[http][reader]") {
  const char* bad[] = {
      "GET\r\n\r\n",
      "GET / HTTP/2.0\r\n\r\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1 x\r\n\r\n",
      "G(T / HTTP/1.1\r\n\r\n",
      "GET nopath HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
      "GET / HTTP/1.1\r\nBad name: v\r\n\r\n",
      "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
      "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
  };
  for (const char* wire : bad) {
    INFO(wire);
    auto all = ReadAll(wire, 5);
    CHECK(all[0].status == Status::kBad);
  }
  std::string huge = "GET / HTTP/1.1\r\nX-Big: " + std::string(RequestReader::kMaxHead, 'a') + "\r\n\r\n";
  CHECK(ReadAll(huge, 4096)[0].status == Status::kTooLarge);
  CHECK(ReadAll("GET / HTTP/1.1\r\nHost: x\r\n", 4)[0].status == Status::kError);
  CHECK(ReadAll("", 4)[0].status == Status::kClosed);
}

TEST_CASE("framing: Transfer-Encoding wins over Content-Length; equal repeats are fine", "[http][reader]") {
  auto te = ReadAll(
      "POST / HTTP/1.1\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 2);
  REQUIRE(te.size() == 2);
  CHECK(te[0].body == "abc");
  auto same = ReadAll("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", 2);
  CHECK(same[0].body == "ok");
  auto absolute = ReadAll("GET http://bucket.localhost:4566/key?x=1 HTTP/1.1\r\n\r\n", 9);
  CHECK(absolute[0].req.target == "/key");
  CHECK(absolute[0].req.raw_query == "x=1");
}
