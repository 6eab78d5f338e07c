#include "emulator/sns/sns_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "protocol/core/crypto.h"

namespace edastack::sns {

struct Signer::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

namespace {
const EVP_MD* Digest(const std::string& version) {
  return version == "2" ? EVP_sha256() : EVP_sha1();
}
}  // namespace

Signer::Signer() : impl_(std::make_unique<Impl>()) {
  EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
  if (!kctx || EVP_PKEY_keygen_init(kctx) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(kctx, 2048) <= 0 ||
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
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig(static_cast<size_t>(EVP_PKEY_get_size(impl_->key)), '\0');
  size_t len = sig.size();
  bool ok = EVP_DigestSignInit(ctx, nullptr, Digest(version), nullptr, impl_->key) == 1 &&
            EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return "";
  sig.resize(len);
  return crypto::Base64Encode(sig);
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
