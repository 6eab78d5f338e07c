#include "emulator/s3/s3_wire.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "emulator/s3/aws_chunked.h"
#include "emulator/s3/s3_errors.h"
#include "protocol/core/crypto.h"
#include "protocol/core/ids.h"
#include "protocol/core/strings.h"
#include "protocol/core/time_format.h"
#include "protocol/query/xml_writer.h"
#include "protocol/sigv4/signer.h"
#include "protocol/sigv4/verifier.h"

namespace edastack::s3 {

const char* const kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

namespace {

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool IsAwsChunked(const http::Request& req) {
  return str::ToLower(req.Header("Content-Encoding")).find("aws-chunked") != std::string::npos ||
         str::StartsWith(req.Header("x-amz-content-sha256"), "STREAMING-");
}

// Feeds the whole request body to `sink`, always consuming it to the end so the connection
// stays in sync even when the sink gives up early. False when reading failed.
bool PumpBody(http::Request& req, const std::function<bool(const char*, size_t)>& sink) {
  bool stopped = false;
  auto guarded = [&](const char* d, size_t n) {
    if (!stopped && !sink(d, n)) stopped = true;
    return true;
  };
  bool ok = true;
  if (req.body_reader) {
    ok = req.body_reader(guarded);
    req.body_reader = nullptr;
  } else if (!req.body.empty()) {
    guarded(req.body.data(), req.body.size());
  }
  return ok;
}

// Runs the digests of a large body on a second thread, one block behind the writer, so
// hashing (MD5 alone runs at ~700 MB/s on one core) overlaps reading the socket and writing
// the file. At most kMaxQueued blocks wait, which bounds the memory a large upload holds.
// Not thread-safe: one producer.
class BlockHasher {
 public:
  explicit BlockHasher(std::vector<Digester*> digesters)
      : digesters_(std::move(digesters)), thread_([this] { Run(); }) {}
  ~BlockHasher() { Finish(); }
  BlockHasher(const BlockHasher&) = delete;
  BlockHasher& operator=(const BlockHasher&) = delete;

  void Push(std::shared_ptr<const std::string> block) {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    queue_.push_back(std::move(block));
    ready_.notify_one();
  }
  // Hashes everything queued and stops the thread; the digesters are then final.
  void Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      ready_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  static constexpr size_t kMaxQueued = 4;
  void Run() {
    while (true) {
      std::shared_ptr<const std::string> block;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        block = std::move(queue_.front());
        queue_.pop_front();
        space_.notify_one();
      }
      for (Digester* d : digesters_) d->Update(block->data(), block->size());
    }
  }

  std::vector<Digester*> digesters_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  // Guarded by mu_:
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool done_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

// Bodies announced larger than this are hashed on a second thread.
constexpr uint64_t kParallelHashMin = 8 << 20;
constexpr size_t kHashBlock = 1 << 20;

uint64_t ContentLength(const http::Request& req) {
  const std::string& h = req.Header("Content-Length");
  if (h.empty() || h.size() > 18 || h.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::stoull(h);
}

}  // namespace

bool HasDeclaredLength(const http::Request& req) {
  return req.HasHeader("Content-Length") || req.HasHeader("Transfer-Encoding");
}

Result<Ingested> IngestBody(http::Request& req, BodyFiles& files, const EmulatorOptions& opts,
                            Algo default_algo) {
  const std::string& sha_hdr = req.Header("x-amz-content-sha256");
  bool chunked = IsAwsChunked(req);
  Algo algo = Algo::kNone;
  std::string expected;
  for (Algo a : kFlexibleAlgos) {
    if (req.HasHeader(ChecksumHeader(a))) {
      algo = a;
      expected = req.Header(ChecksumHeader(a));
      break;
    }
  }
  std::string trailer = str::ToLower(str::Trim(req.Header("x-amz-trailer")));
  if (algo == Algo::kNone && str::StartsWith(trailer, "x-amz-checksum-")) {
    auto a = ParseChecksumAlgo(trailer.substr(15));
    if (!a) return InvalidRequest("The value specified in the x-amz-trailer header is not supported");
    algo = *a;
  }
  const std::string& sdk = req.Header("x-amz-sdk-checksum-algorithm");
  if (algo == Algo::kNone && !sdk.empty()) {
    auto a = ParseChecksumAlgo(sdk);
    if (!a) return InvalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
    algo = *a;
  }
  if (algo == Algo::kNone) algo = default_algo;

  std::optional<std::string> md5_expected;
  if (req.HasHeader("Content-MD5")) {
    auto raw = crypto::Base64Decode(str::Trim(req.Header("Content-MD5")));
    if (!raw || raw->size() != 16) return InvalidDigest();
    md5_expected = *raw;
  }
  bool verify_sha = IsHex64(sha_hdr);

  Digester md5(Algo::kMd5), sum(algo), sha(verify_sha ? Algo::kSha256 : Algo::kNone);
  EDA_ASSIGN_OR_RETURN(auto file, files.Create());
  bool write_failed = false;
  uint64_t size = 0;
  // Large bodies: 1 MiB blocks, hashed on a second thread while this one writes them.
  std::unique_ptr<BlockHasher> hasher;
  std::shared_ptr<std::string> block;
  if (ContentLength(req) >= kParallelHashMin) {
    std::vector<Digester*> ds = {&md5};
    if (algo != Algo::kNone) ds.push_back(&sum);
    if (verify_sha) ds.push_back(&sha);
    hasher = std::make_unique<BlockHasher>(std::move(ds));
  }
  auto flush_block = [&] {
    if (!block || block->empty()) return true;
    std::shared_ptr<const std::string> full = std::move(block);
    block.reset();
    hasher->Push(full);
    if (!file->Write(full->data(), full->size())) {
      write_failed = true;
      return false;
    }
    return true;
  };
  auto sink = [&](const char* d, size_t n) {
    size += n;
    if (hasher) {
      while (n > 0) {
        if (!block) {
          block = std::make_shared<std::string>();
          block->reserve(kHashBlock);
        }
        size_t take = std::min(n, kHashBlock - block->size());
        block->append(d, take);
        d += take;
        n -= take;
        if (block->size() == kHashBlock && !flush_block()) return false;
      }
      return true;
    }
    md5.Update(d, n);
    sum.Update(d, n);
    if (verify_sha) sha.Update(d, n);
    if (!file->Write(d, n)) {
      write_failed = true;
      return false;
    }
    return true;
  };

  AwsChunkedDecoder dec(sink);
  std::string signing_key, scope, prev_sig, amz_date;
  bool chunk_sig_failed = false;
  if (chunked && opts.auth_sigv4 && str::StartsWith(sha_hdr, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
    sigv4::SignatureParts parts;
    bool present = false;
    std::string msg;
    if (sigv4::ParseSignature(req, &parts, &present, &msg) && present) {
      auto it = opts.credentials.find(parts.access_key);
      if (it != opts.credentials.end()) {
        signing_key = sigv4::SigningKey(it->second, parts.day, parts.region, parts.service);
        scope = parts.day + "/" + parts.region + "/" + parts.service + "/aws4_request";
        prev_sig = parts.signature;
        amz_date = parts.amz_date;
        dec.SetChunkHook([&](const std::string& sig, const std::string& chunk_sha) {
          std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n" + amz_date + "\n" + scope + "\n" +
                            prev_sig + "\n" + crypto::Sha256Hex("") + "\n" + chunk_sha;
          std::string want = sigv4::Signature(signing_key, sts);
          if (want != sig) {
            chunk_sig_failed = true;
            return false;
          }
          prev_sig = want;
          return true;
        });
      }
    }
  }

  bool framing_ok = true;
  bool read_ok = PumpBody(req, [&](const char* d, size_t n) {
    if (chunked) {
      if (!dec.Feed(d, n)) {
        framing_ok = false;
        return false;
      }
      return true;
    }
    return sink(d, n);
  });
  if (hasher) {
    flush_block();
    hasher->Finish();
  }
  if (write_failed) return InternalError("could not store the request body");
  if (chunk_sig_failed)
    return SignatureDoesNotMatch(
        "The request signature we calculated does not match the signature you provided.");
  if (!read_ok) return IncompleteBody("The request body could not be read completely.");
  if (chunked) {
    if (!framing_ok || !dec.Finish())
      return IncompleteBody("The request body is not valid aws-chunked encoding: " + dec.error());
    if (!signing_key.empty() && sha_hdr == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
      // The trailer is signed after the final chunk: "name:value\n" per trailer header in
      // name order (the map's), hashed, chained from the final chunk's signature.
      std::string canonical;
      std::string given;
      for (const auto& kv : dec.trailers()) {
        if (kv.first == "x-amz-trailer-signature") {
          given = kv.second;
          continue;
        }
        canonical += kv.first + ":" + kv.second + "\n";
      }
      std::string sts = "AWS4-HMAC-SHA256-TRAILER\n" + amz_date + "\n" + scope + "\n" +
                        prev_sig + "\n" + crypto::Sha256Hex(canonical);
      if (given.empty() || sigv4::Signature(signing_key, sts) != given)
        return SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided.");
    }
    if (expected.empty() && algo != Algo::kNone) {
      auto it = dec.trailers().find(ChecksumHeader(algo));
      if (it != dec.trailers().end()) expected = it->second;
    }
    const std::string& decoded = req.Header("x-amz-decoded-content-length");
    if (!decoded.empty() && decoded != std::to_string(size))
      return IncompleteBody("You did not provide the number of bytes specified by the "
                            "x-amz-decoded-content-length header.");
  }
  std::string md5_raw = md5.Final();
  if (md5_expected && *md5_expected != md5_raw)
    return BadDigest("The Content-MD5 you specified did not match what we received.");
  if (verify_sha) {
    std::string got = crypto::Hex(sha.Final());
    if (got != str::ToLower(sha_hdr)) return ContentSha256Mismatch(sha_hdr, got);
  }
  Ingested out;
  out.algo = algo;
  if (algo != Algo::kNone) {
    out.checksum_b64 = crypto::Base64Encode(sum.Final());
    if (!expected.empty() && expected != out.checksum_b64)
      return BadDigest(std::string("The ") + ChecksumName(algo) +
                       " you specified did not match the calculated checksum.");
  }
  out.file = std::move(file);
  out.size = size;
  out.md5_hex = crypto::Hex(md5_raw);
  return out;
}

Result<std::string> ReadSmallBody(http::Request& req, size_t limit) {
  bool chunked = IsAwsChunked(req);
  std::string out;
  bool too_big = false;
  auto append = [&](const char* d, size_t n) {
    if (out.size() + n > limit) {
      too_big = true;
      return false;
    }
    out.append(d, n);
    return true;
  };
  AwsChunkedDecoder dec(append);
  bool framing_ok = true;
  bool ok = PumpBody(req, [&](const char* d, size_t n) {
    if (!chunked) return append(d, n);
    if (!dec.Feed(d, n)) {
      framing_ok = false;
      return false;
    }
    return true;
  });
  if (too_big) return MakeError("MaxMessageLengthExceeded", "Your request was too big.", 400);
  if (!ok) return IncompleteBody("The request body could not be read completely.");
  if (chunked && (!framing_ok || !dec.Finish()))
    return IncompleteBody("The request body is not valid aws-chunked encoding: " + dec.error());
  if (req.HasHeader("Content-MD5")) {
    auto raw = crypto::Base64Decode(str::Trim(req.Header("Content-MD5")));
    if (!raw || raw->size() != 16) return InvalidDigest();
    if (*raw != crypto::Md5(out))
      return BadDigest("The Content-MD5 you specified did not match what we received.");
  }
  for (Algo a : kFlexibleAlgos) {
    if (req.HasHeader(ChecksumHeader(a)) && req.Header(ChecksumHeader(a)) != DigestBase64(a, out))
      return BadDigest(std::string("The ") + ChecksumName(a) +
                       " you specified did not match the calculated checksum.");
  }
  return out;
}

Result<xml::Node> ParseXmlBody(const std::string& body, const std::string& root) {
  std::string error;
  auto doc = xml::Parse(body, &error);
  if (!doc || doc->name != root) return MalformedXml();
  return *doc;
}

ObjectAttrs AttrsFromHeaders(const http::Request& req) {
  ObjectAttrs a;
  a.content_type = req.Header("Content-Type");
  std::string enc;
  for (const auto& part : str::Split(req.Header("Content-Encoding"), ',')) {
    std::string p = str::Trim(part);
    if (p.empty() || str::IEquals(p, "aws-chunked")) continue;
    if (!enc.empty()) enc += ",";
    enc += p;
  }
  a.content_encoding = enc;
  a.content_disposition = req.Header("Content-Disposition");
  a.cache_control = req.Header("Cache-Control");
  a.content_language = req.Header("Content-Language");
  a.expires = req.Header("Expires");
  a.storage_class = req.Header("x-amz-storage-class");
  if (a.storage_class == "STANDARD") a.storage_class.clear();
  a.sse = req.Header("x-amz-server-side-encryption");
  a.sse_kms_key_id = req.Header("x-amz-server-side-encryption-aws-kms-key-id");
  a.website_redirect = req.Header("x-amz-website-redirect-location");
  for (const auto& kv : req.headers) {
    std::string name = str::ToLower(kv.first);
    if (str::StartsWith(name, "x-amz-meta-")) a.user_meta.emplace_back(name.substr(11), kv.second);
  }
  return a;
}

Result<Pairs> ParseTagHeader(const std::string& text) {
  Pairs out;
  for (auto& kv : str::ParseForm(text, true)) {
    if (kv.first.empty() || kv.first.size() > 128 || kv.second.size() > 256)
      return InvalidTag("The TagKey you have provided is invalid");
    for (auto& o : out)
      if (o.first == kv.first) return InvalidTag("Cannot provide multiple Tags with the same key");
    out.push_back(kv);
  }
  if (out.size() > 10) return InvalidTag("Object tags cannot be greater than 10");
  return out;
}

Result<Pairs> ParseTagging(const xml::Node& tagging) {
  Pairs out;
  const xml::Node* set = tagging.Child("TagSet");
  if (!set) return MalformedXml();
  for (const xml::Node* tag : set->Children("Tag")) {
    if (!tag->Child("Key")) return MalformedXml();
    std::string k = tag->ChildText("Key"), v = tag->ChildText("Value");
    if (k.empty() || k.size() > 128 || v.size() > 256)
      return InvalidTag("The TagKey you have provided is invalid");
    for (auto& o : out)
      if (o.first == k) return InvalidTag("Cannot provide multiple Tags with the same key");
    out.emplace_back(k, v);
  }
  return out;
}

std::string TaggingXml(const Pairs& tags) {
  xml::Writer w(true);
  w.Open("Tagging", std::string("xmlns=\"") + kXmlns + "\"").Open("TagSet");
  for (const auto& kv : tags) w.Open("Tag").Element("Key", kv.first).Element("Value", kv.second).Close();
  w.Close();
  return w.Finish();
}

std::string Quote(const std::string& etag) { return "\"" + etag + "\""; }

std::string Unquote(std::string etag) {
  etag = str::Trim(etag);
  if (str::StartsWith(etag, "&quot;")) etag = etag.substr(6);
  if (str::EndsWith(etag, "&quot;")) etag = etag.substr(0, etag.size() - 6);
  if (!etag.empty() && etag.front() == '"') etag.erase(0, 1);
  if (!etag.empty() && etag.back() == '"') etag.pop_back();
  return etag;
}

std::string OwnerId(const std::string& account) { return crypto::Sha256Hex("owner:" + account); }

void SetObjectHeaders(http::Response& res, const ObjectVersion& v, bool versioned) {
  res.SetHeader("ETag", Quote(v.etag));
  res.SetHeader("Last-Modified", timefmt::Rfc7231(v.modified_ms));
  res.SetHeader("Accept-Ranges", "bytes");
  const ObjectAttrs& a = v.attrs;
  res.SetHeader("Content-Type", a.content_type.empty() ? "binary/octet-stream" : a.content_type);
  if (!a.content_encoding.empty()) res.SetHeader("Content-Encoding", a.content_encoding);
  if (!a.content_disposition.empty()) res.SetHeader("Content-Disposition", a.content_disposition);
  if (!a.cache_control.empty()) res.SetHeader("Cache-Control", a.cache_control);
  if (!a.content_language.empty()) res.SetHeader("Content-Language", a.content_language);
  if (!a.expires.empty()) res.SetHeader("Expires", a.expires);
  if (!a.storage_class.empty()) res.SetHeader("x-amz-storage-class", a.storage_class);
  if (!a.sse.empty()) res.SetHeader("x-amz-server-side-encryption", a.sse);
  if (!a.sse_kms_key_id.empty())
    res.SetHeader("x-amz-server-side-encryption-aws-kms-key-id", a.sse_kms_key_id);
  if (!a.website_redirect.empty()) res.SetHeader("x-amz-website-redirect-location", a.website_redirect);
  for (const auto& kv : a.user_meta) res.headers.emplace("x-amz-meta-" + kv.first, kv.second);
  if (versioned) res.SetHeader("x-amz-version-id", v.version_id);
  if (!v.tags.empty()) res.SetHeader("x-amz-tagging-count", std::to_string(v.tags.size()));
  if (v.parts > 0) res.SetHeader("x-amz-mp-parts-count", std::to_string(v.parts));
}

http::Response XmlResponse(const std::string& body, int status) {
  http::Response r;
  r.status = status;
  r.body = body;
  r.SetHeader("Content-Type", "application/xml");
  return r;
}

http::Response EmptyResponse(int status) {
  http::Response r;
  r.status = status;
  return r;
}

std::string VersionIdParam(const http::Request& req) { return req.Query("versionId"); }

std::string NewVersionId() {
  // 32 URL-safe characters, like AWS's.
  std::string b = crypto::Base64Encode(crypto::RandomBytes(24));
  for (auto& c : b) {
    if (c == '+') c = '.';
    if (c == '/') c = '_';
  }
  return b;
}

}  // namespace edastack::s3
