#include "protocol/client/credentials.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace edastack::client {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::map<std::string, std::map<std::string, std::string>> ParseIni(const std::string& text) {
  std::map<std::string, std::map<std::string, std::string>> out;
  std::string section;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::string t = str::Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = str::Trim(t.substr(1, t.size() - 2));
      if (str::StartsWith(section, "profile ")) section = str::Trim(section.substr(8));
      continue;
    }
    size_t eq = t.find('=');
    if (eq == std::string::npos) continue;
    out[section][str::Trim(t.substr(0, eq))] = str::Trim(t.substr(eq + 1));
  }
  return out;
}

Result<ClientConfig> LoadConfig(const std::map<std::string, std::string>* env) {
  auto get = [env](const char* name) -> std::string {
    if (env) {
      auto it = env->find(name);
      return it == env->end() ? "" : it->second;
    }
    const char* v = std::getenv(name);
    return v ? v : "";
  };
  ClientConfig cfg;
  std::string home = get("HOME");
  std::string profile = get("AWS_PROFILE");
  if (profile.empty()) profile = "default";
  cfg.credentials.access_key = get("AWS_ACCESS_KEY_ID");
  cfg.credentials.secret_key = get("AWS_SECRET_ACCESS_KEY");
  cfg.credentials.session_token = get("AWS_SESSION_TOKEN");
  if (cfg.credentials.access_key.empty() || cfg.credentials.secret_key.empty()) {
    std::string path = get("AWS_SHARED_CREDENTIALS_FILE");
    if (path.empty()) path = home + "/.aws/credentials";
    auto ini = ParseIni(ReadFile(path));
    auto it = ini.find(profile);
    if (it != ini.end()) {
      cfg.credentials.access_key = it->second["aws_access_key_id"];
      cfg.credentials.secret_key = it->second["aws_secret_access_key"];
      cfg.credentials.session_token = it->second["aws_session_token"];
    }
  }
  if (cfg.credentials.access_key.empty() || cfg.credentials.secret_key.empty())
    return MakeError("NoCredentials",
                     "Unable to locate credentials: set AWS_ACCESS_KEY_ID and "
                     "AWS_SECRET_ACCESS_KEY or a profile in ~/.aws/credentials");
  std::string config_path = get("AWS_CONFIG_FILE");
  if (config_path.empty()) config_path = home + "/.aws/config";
  auto config_ini = ParseIni(ReadFile(config_path));
  auto section = config_ini.find(profile == "default" ? profile : "profile " + profile);
  if (section == config_ini.end()) section = config_ini.find(profile);
  auto from_config = [&](const char* key) -> std::string {
    if (section == config_ini.end()) return "";
    auto it = section->second.find(key);
    return it == section->second.end() ? "" : it->second;
  };
  std::string region = get("AWS_REGION");
  if (region.empty()) region = get("AWS_DEFAULT_REGION");
  if (region.empty()) region = from_config("region");
  if (!region.empty()) cfg.region = region;
  cfg.endpoint = get("AWS_ENDPOINT_URL");
  if (cfg.endpoint.empty()) cfg.endpoint = from_config("endpoint_url");
  cfg.ca_bundle = get("AWS_CA_BUNDLE");
  if (cfg.ca_bundle.empty()) cfg.ca_bundle = from_config("ca_bundle");
  return cfg;
}

}  // namespace edastack::client
