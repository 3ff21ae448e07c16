#pragma once
// Masking of secrets in any text that leaves the process (logs, error messages, reports).
// The logger applies redact() to every message itself; code that prints or writes text by
// other means (std::cerr, report files) calls it too.
#include <string>
#include <string_view>

#include "kbc_storage_extract/secret.hpp"

namespace kbc {

// `text` with every secret replaced: registered secrets (exact), Storage API token shapes
// ("123-4567-***"), credential header lines ("X-StorageApi-Token: ***"), signed URL query
// values (X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token, Azure SAS sig, access_token,
// token, …) and credential JSON fields ("SecretAccessKey", "SessionToken", …).
std::string redact(std::string_view text);

// Remember a secret so that redact() masks its exact value wherever it appears, whatever its
// shape. resolve_token() registers every token it reads. Thread-safe; secrets shorter than 6
// characters are ignored (masking them would garble all output).
void register_secret(const Secret& secret);

// Drop every registered secret. For fuzzers only: they parse millions of distinct answers in
// one process, and a registry that only grows would make each input slower than the last.
void forget_registered_secrets();

}  // namespace kbc
