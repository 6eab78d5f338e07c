// A small load generator for the DynamoDB benchmark (bench/ddb_bench.py). Talks DynamoDB
// JSON 1.0 unsigned (edastack without --auth and moto_server accept that). One keep-alive
// connection per thread. Every mode prints one JSON line.
//
//   ddb_loadgen --endpoint URL --mode MODE --table T [options]
//
// create: CreateTable T (pk S; with --gsi 1 also the GSI "by-grp": grp S HASH, ts N RANGE, ALL).
// put:    PutItem with a distinct key per request, --connections C for --seconds S.
// get:    GetItem of random keys k0..k(N-1) (--items N, loaded by `load`), C connections, S s.
// load:   BatchWriteItem, 25 items per call, items k0..k(N-1) in grp g(i % --partitions),
//         C connections, until all N are written. Reports items/s.
// query:  --queries Q sequential GSI Query pages (Limit --limit) on random partitions of
//         the GSI over one connection. Reports latency percentiles.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string endpoint = "http://127.0.0.1:4566";
  std::string mode = "put";
  std::string table = "bench";
  int connections = 16;
  double seconds = 10;
  long items = 10000;
  long partitions = 1000;
  int queries = 300;
  int limit = 100;
  bool gsi = false;
};

httplib::Headers Headers(const std::string& op) {
  return {{"X-Amz-Target", "DynamoDB_20120810." + op},
          {"Authorization",
           "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/dynamodb/aws4_request, "
           "SignedHeaders=host, Signature=0000"}};
}

// Returns the HTTP status (0 on a transport error) and the body in *out.
int Call(httplib::Client& c, const std::string& op, const std::string& body, std::string* out) {
  auto res = c.Post("/", Headers(op), body, "application/x-amz-json-1.0");
  if (!res) return 0;
  if (out) *out = res->body;
  return res->status;
}

httplib::Client Connect(const Options& o) {
  httplib::Client c(o.endpoint);
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(60, 0);
  return c;
}

// ~100 bytes of attributes besides the keys.
std::string ItemJson(long i, long partitions) {
  std::string n = std::to_string(i);
  return "{\"pk\":{\"S\":\"k" + n + "\"},\"grp\":{\"S\":\"g" + std::to_string(i % partitions) +
         "\"},\"ts\":{\"N\":\"" + n + "\"},\"data\":{\"S\":\"benchmark payload " + n +
         " abcdefghijklmnopqrstuvwxyz\"},\"flag\":{\"BOOL\":true}}";
}

double Pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

int Create(const Options& o) {
  nlohmann::json req = {{"TableName", o.table},
                        {"BillingMode", "PAY_PER_REQUEST"},
                        {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
                        {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}}};
  if (o.gsi) {
    req["AttributeDefinitions"].push_back({{"AttributeName", "grp"}, {"AttributeType", "S"}});
    req["AttributeDefinitions"].push_back({{"AttributeName", "ts"}, {"AttributeType", "N"}});
    req["GlobalSecondaryIndexes"] = {
        {{"IndexName", "by-grp"},
         {"KeySchema",
          {{{"AttributeName", "grp"}, {"KeyType", "HASH"}}, {{"AttributeName", "ts"}, {"KeyType", "RANGE"}}}},
         {"Projection", {{"ProjectionType", "ALL"}}}}};
  }
  auto c = Connect(o);
  std::string out;
  int st = Call(c, "CreateTable", req.dump(), &out);
  printf("{\"mode\":\"create\",\"status\":%d}\n", st);
  if (st != 200) fprintf(stderr, "ddb_loadgen: CreateTable: %d %s\n", st, out.c_str());
  return st == 200 ? 0 : 1;
}

// put / get: closed loop for o.seconds.
int Loop(const Options& o) {
  std::atomic<bool> stop{false};
  std::atomic<long> ops{0}, errors{0};
  std::vector<std::vector<double>> lat(o.connections);
  std::vector<std::thread> threads;
  const std::string run = std::to_string(std::random_device{}() % 1000000);
  const bool put = o.mode == "put";
  auto start = Clock::now();
  for (int t = 0; t < o.connections; ++t) {
    threads.emplace_back([&, t] {
      auto c = Connect(o);
      std::mt19937_64 rng(t * 7919 + 1);
      std::string prefix = "r" + run + "-" + std::to_string(t) + "-";
      for (long i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        std::string body;
        if (put) {
          std::string n = std::to_string(i);
          body = "{\"TableName\":\"" + o.table + "\",\"Item\":{\"pk\":{\"S\":\"" + prefix + n +
                 "\"},\"n\":{\"N\":\"" + n +
                 "\"},\"data\":{\"S\":\"benchmark payload abcdefghijklmnopqrstuvwxyz\"},"
                 "\"flag\":{\"BOOL\":true}}}";
        } else {
          body = "{\"TableName\":\"" + o.table + "\",\"Key\":{\"pk\":{\"S\":\"k" +
                 std::to_string(rng() % o.items) + "\"}}}";
        }
        auto t0 = Clock::now();
        std::string out;
        int st = Call(c, put ? "PutItem" : "GetItem", body, &out);
        bool ok = st == 200 && (put || out.find("\"Item\"") != std::string::npos);
        if (ok) {
          ops.fetch_add(1, std::memory_order_relaxed);
          lat[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        } else if (errors.fetch_add(1, std::memory_order_relaxed) < 3) {
          fprintf(stderr, "ddb_loadgen: %s %d %s\n", o.mode.c_str(), st, out.substr(0, 200).c_str());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  double total_ms = 0;
  for (double v : all) total_ms += v;
  printf("{\"mode\":\"%s\",\"connections\":%d,\"ops\":%ld,\"seconds\":%.2f,\"rate\":%.0f,"
         "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f,\"busy_share\":%.2f,"
         "\"errors\":%ld}\n",
         o.mode.c_str(), o.connections, ops.load(), secs, ops.load() / secs, Pct(all, 0.5),
         Pct(all, 0.99), Pct(all, 0.999), Pct(all, 1.0), total_ms / 1000 / secs / o.connections,
         errors.load());
  return 0;
}

int Load(const Options& o) {
  std::atomic<long> next{0}, errors{0}, written{0};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int t = 0; t < o.connections; ++t) {
    threads.emplace_back([&] {
      auto c = Connect(o);
      for (;;) {
        long first = next.fetch_add(25);
        if (first >= o.items) break;
        long last = std::min(o.items, first + 25);
        std::string body = "{\"RequestItems\":{\"" + o.table + "\":[";
        for (long i = first; i < last; ++i) {
          if (i > first) body += ',';
          body += "{\"PutRequest\":{\"Item\":" + ItemJson(i, o.partitions) + "}}";
        }
        body += "]}}";
        std::string out;
        for (int attempt = 0;; ++attempt) {
          int st = Call(c, "BatchWriteItem", body, &out);
          // Unprocessed items never come back from edastack; a batch with any is retried
          // whole (rewriting an item is harmless) and counted as an error after 4 tries.
          if (st == 200) {
            auto j = nlohmann::json::parse(out, nullptr, false);
            if (!j.is_discarded() && j.value("UnprocessedItems", nlohmann::json::object()).empty()) {
              written.fetch_add(last - first);
              break;
            }
          }
          if (attempt == 3) {
            if (errors.fetch_add(1) == 0)
              fprintf(stderr, "ddb_loadgen: BatchWriteItem %d %s\n", st, out.substr(0, 200).c_str());
            break;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  printf("{\"mode\":\"load\",\"connections\":%d,\"items\":%ld,\"seconds\":%.2f,"
         "\"items_per_s\":%.0f,\"errors\":%ld}\n",
         o.connections, written.load(), secs, written.load() / secs, errors.load());
  return errors.load() ? 1 : 0;
}

int Query(const Options& o) {
  auto c = Connect(o);
  std::mt19937_64 rng(42);
  std::vector<double> lat;
  long errors = 0, short_pages = 0;
  for (int q = 0; q < o.queries; ++q) {
    std::string body = "{\"TableName\":\"" + o.table +
                       "\",\"IndexName\":\"by-grp\",\"KeyConditionExpression\":\"grp = :g\","
                       "\"ExpressionAttributeValues\":{\":g\":{\"S\":\"g" +
                       std::to_string(rng() % o.partitions) + "\"}},\"Limit\":" +
                       std::to_string(o.limit) + "}";
    auto t0 = Clock::now();
    std::string out;
    int st = Call(c, "Query", body, &out);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (st != 200) {
      ++errors;
      continue;
    }
    lat.push_back(ms);
    auto j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded() || j.value("Count", 0) != o.limit) ++short_pages;
  }
  double mean = 0;
  for (double v : lat) mean += v;
  mean /= std::max<size_t>(1, lat.size());
  printf("{\"mode\":\"query\",\"queries\":%zu,\"limit\":%d,\"mean_ms\":%.3f,\"p50_ms\":%.3f,"
         "\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"short_pages\":%ld,\"errors\":%ld}\n",
         lat.size(), o.limit, mean, Pct(lat, 0.5), Pct(lat, 0.9), Pct(lat, 0.99), Pct(lat, 1.0),
         short_pages, errors);
  return errors ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--endpoint") o.endpoint = v;
    else if (k == "--mode") o.mode = v;
    else if (k == "--table") o.table = v;
    else if (k == "--connections") o.connections = std::stoi(v);
    else if (k == "--seconds") o.seconds = std::stod(v);
    else if (k == "--items") o.items = std::stol(v);
    else if (k == "--partitions") o.partitions = std::stol(v);
    else if (k == "--queries") o.queries = std::stoi(v);
    else if (k == "--limit") o.limit = std::stoi(v);
    else if (k == "--gsi") o.gsi = v == "1";
  }
  if (o.mode == "create") return Create(o);
  if (o.mode == "put" || o.mode == "get") return Loop(o);
  if (o.mode == "load") return Load(o);
  if (o.mode == "query") return Query(o);
  fprintf(stderr, "ddb_loadgen: unknown mode %s\n", o.mode.c_str());
  return 2;
}
