#pragma once
// The S3 operations, one function each; the router has verified the signature and checked
// that the signer may touch r.bucket / r.key before calling them.
#include "s3/s3_request.hpp"
#include "s3/store_state.hpp"

namespace kbc::emulator::s3 {

void put_object(StoreState& state, S3Request& r);
void get_object(StoreState& state, S3Request& r);  // GET and HEAD
void delete_object(StoreState& state, S3Request& r);
void list_objects(StoreState& state, S3Request& r);  // V2 (list-type=2) and V1

void create_multipart_upload(StoreState& state, S3Request& r);
void upload_part(StoreState& state, S3Request& r);
void complete_multipart_upload(StoreState& state, S3Request& r);
void abort_multipart_upload(StoreState& state, S3Request& r);
void list_parts(StoreState& state, S3Request& r);

// What an upload body (PutObject, UploadPart) must satisfy, from the request's headers.
UploadExpectations upload_expectations(const S3Request& r);
// Content-Type, Content-Encoding (without aws-chunked), x-amz-meta-* and SSE headers to keep.
ObjectMeta object_meta_from_headers(const S3Request& r);

}  // namespace kbc::emulator::s3
