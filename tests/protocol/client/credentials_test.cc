#include "protocol/client/credentials.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "protocol/client/transport.h"

using namespace edastack;

namespace {
std::string WriteTemp(const std::string& text) {
  char path[] = "/tmp/edastack-config-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("client config: env first, then the profile's section", "[client]") {
  std::string config = WriteTemp(
      "[default]\nregion = eu-west-1\n\n[profile ci]\nregion = ap-south-1\n"
      "ca_bundle = /etc/ci-ca.pem\nendpoint_url = https://localhost:4566\n");
  std::map<std::string, std::string> env{{"AWS_ACCESS_KEY_ID", "AK"},
                                         {"AWS_SECRET_ACCESS_KEY", "SK"},
                                         {"AWS_CONFIG_FILE", config},
                                         {"HOME", "/nonexistent"}};
  auto d = client::LoadConfig(&env);
  REQUIRE(d.ok());
  CHECK(d->region == "eu-west-1");
  CHECK(d->ca_bundle.empty());
  CHECK(d->endpoint.empty());

  env["AWS_PROFILE"] = "ci";
  auto ci = client::LoadConfig(&env);
  REQUIRE(ci.ok());
  CHECK(ci->region == "ap-south-1");
  CHECK(ci->ca_bundle == "/etc/ci-ca.pem");
  CHECK(ci->endpoint == "https://localhost:4566");

  env["AWS_CA_BUNDLE"] = "/tmp/other.pem";
  env["AWS_REGION"] = "us-west-2";
  env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566";
  auto over = client::LoadConfig(&env);
  REQUIRE(over.ok());
  CHECK(over->ca_bundle == "/tmp/other.pem");
  CHECK(over->region == "us-west-2");
  CHECK(over->endpoint == "http://127.0.0.1:4566");
  std::remove(config.c_str());
}

TEST_CASE("https endpoints parse with their default port", "[client]") {
  auto ep = client::ParseEndpoint("https://sqs.us-east-1.amazonaws.com");
  REQUIRE(ep.ok());
  CHECK(ep->scheme == "https");
  CHECK(ep->port == 443);
  CHECK(ep->HostHeader() == "sqs.us-east-1.amazonaws.com");
}
