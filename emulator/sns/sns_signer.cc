#include "emulator/sns/sns_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "protocol/core/crypto.h"

namespace edastack::sns {

// Signing contexts are set up once and reused (a fresh EVP_DigestSignInit per message costs
// more than the RSA operation itself): a free list per digest, guarded by mu.
//
// Signatures are memoised by digest (bounded, oldest evicted first): one publish fanned out to
// N envelope subscribers is signed once, and Delivery::Dispatch signs on the publishing thread
// so the single ordered delivery thread finds the signature ready.
struct Signer::Impl {
  static constexpr size_t kMemoEntries = 4096;
  EVP_PKEY* key = nullptr;
  std::mutex mu;
  std::vector<EVP_PKEY_CTX*> free_sha1, free_sha256;
  std::unordered_map<std::string, std::string> memo;  // digest (+ version byte) -> base64
  std::deque<std::string> memo_order;
  std::optional<std::string> Lookup(const std::string& k) {
    std::lock_guard<std::mutex> g(mu);
    auto it = memo.find(k);
    if (it == memo.end()) return std::nullopt;
    return it->second;
  }
  void Remember(const std::string& k, const std::string& sig) {
    std::lock_guard<std::mutex> g(mu);
    if (!memo.emplace(k, sig).second) return;
    memo_order.push_back(k);
    if (memo_order.size() > kMemoEntries) {
      memo.erase(memo_order.front());
      memo_order.pop_front();
    }
  }
  ~Impl() {
    for (auto* c : free_sha1) EVP_PKEY_CTX_free(c);
    for (auto* c : free_sha256) EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(key);
  }
  EVP_PKEY_CTX* Acquire(bool sha256) {
    {
      std::lock_guard<std::mutex> g(mu);
      auto& list = sha256 ? free_sha256 : free_sha1;
      if (!list.empty()) {
        EVP_PKEY_CTX* c = list.back();
        list.pop_back();
        return c;
      }
    }
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(key, nullptr);
    if (!c || EVP_PKEY_sign_init(c) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(c, sha256 ? EVP_sha256() : EVP_sha1()) <= 0) {
      EVP_PKEY_CTX_free(c);
      return nullptr;
    }
    return c;
  }
  void Release(EVP_PKEY_CTX* c, bool sha256) {
    std::lock_guard<std::mutex> g(mu);
    (sha256 ? free_sha256 : free_sha1).push_back(c);
  }
};

namespace {
const EVP_MD* Digest(const std::string& version) {
  return version == "2" ? EVP_sha256() : EVP_sha1();
}
}  // namespace

Signer::Signer() : impl_(std::make_unique<Impl>()) {
  EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
  if (!kctx || EVP_PKEY_keygen_init(kctx) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(kctx, 1024) <= 0 ||
      EVP_PKEY_keygen(kctx, &impl_->key) <= 0) {
    EVP_PKEY_CTX_free(kctx);
    throw std::runtime_error("sns: RSA key generation failed");
  }
  EVP_PKEY_CTX_free(kctx);

  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert, impl_->key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sns.amazonaws.com"), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  bool ok = X509_sign(cert, impl_->key, EVP_sha256()) > 0;
  BIO* bio = BIO_new(BIO_s_mem());
  ok = ok && PEM_write_bio_X509(bio, cert) == 1;
  if (ok) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    cert_pem_.assign(data, static_cast<size_t>(n));
  }
  BIO_free(bio);
  X509_free(cert);
  if (!ok) throw std::runtime_error("sns: certificate creation failed");
}

Signer::~Signer() = default;

std::string Signer::Sign(const std::string& text, const std::string& version) const {
  bool sha256 = version == "2";
  std::string digest = sha256 ? crypto::Sha256(text) : crypto::Sha1(text);
  if (auto hit = impl_->Lookup(digest)) return *hit;
  EVP_PKEY_CTX* ctx = impl_->Acquire(sha256);
  if (!ctx) return "";
  std::string sig(static_cast<size_t>(EVP_PKEY_get_size(impl_->key)), '\0');
  size_t len = sig.size();
  bool ok = EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                          reinterpret_cast<const unsigned char*>(digest.data()),
                          digest.size()) == 1;
  impl_->Release(ctx, sha256);
  if (!ok) return "";
  sig.resize(len);
  std::string b64 = crypto::Base64Encode(sig);
  impl_->Remember(digest, b64);
  return b64;
}

bool Signer::Verify(const std::string& text, const std::string& signature_b64,
                    const std::string& version) const {
  auto sig = crypto::Base64Decode(signature_b64);
  if (!sig) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, Digest(version), nullptr, impl_->key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                             reinterpret_cast<const unsigned char*>(text.data()),
                             text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace edastack::sns
