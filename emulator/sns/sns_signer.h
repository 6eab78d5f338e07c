// Signs SNS messages the way AWS does (SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA)
// with an RSA key generated at start-up, and holds the matching self-signed certificate
// (PEM) that SigningCertURL serves. Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <string>

namespace edastack::sns {

class Signer {
 public:
  // Generates a 1024-bit key (fast to create and to sign with: one signature per delivered
  // envelope) and a self-signed certificate. Throws std::runtime_error on an
  // OpenSSL failure.
  Signer();
  ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // base64 of the RSA signature over `text`; version "2" uses SHA-256, otherwise SHA-1.
  // Memoised by digest (bounded): signing the same text again costs one hash.
  std::string Sign(const std::string& text, const std::string& version) const;
  // Verifies a base64 signature with the certificate's public key (for tests).
  bool Verify(const std::string& text, const std::string& signature_b64,
              const std::string& version) const;
  const std::string& CertificatePem() const { return cert_pem_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string cert_pem_;
};

}  // namespace edastack::sns
