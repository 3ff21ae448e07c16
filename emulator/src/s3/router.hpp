#pragma once
// The S3 endpoint's request pipeline: parse the path-style target, apply an injected fault,
// verify the signature, check the signer's scope, then run the operation.
#include <httplib.h>

#include "s3/store_state.hpp"

namespace kbc::emulator::s3 {

// `body` is null when httplib read no body for us (GET, HEAD, bodyless requests).
void serve(StoreState& state, const httplib::Request& request, httplib::Response& response,
           const httplib::ContentReader* body);

// For "Expect: 100-continue": checks the signature and scope from the headers alone, as S3 does,
// so a refused upload is answered before the client sends its body. Returns 100 to go on, or
// the error status (with the S3 error in `response`).
int check_before_body(StoreState& state, const httplib::Request& request, httplib::Response& response);

}  // namespace kbc::emulator::s3
