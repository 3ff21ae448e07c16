// The emulator's S3 endpoint against the official AWS SDK for JavaScript v3 (@aws-sdk/client-s3),
// an S3 client nobody here wrote: it signs with SigV4 (header, aws-chunked streaming with
// checksum trailers, pre-signed URLs) using the temporary credentials that the emulator's
// Storage API hands out from files/prepare (federationToken=1), exactly as Keboola's clients do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  S3Client,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectsCommand,
  paginateListObjectsV2,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { startEmulator } from './s3_emulator_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = path.join(here, 'fixtures', 's3_peer_seed.json');
const TOKEN = '101-s3-peer-master-token';
const REGION_NAME = 'eu-central-1';
const MiB = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

let emulator;

before(async () => {
  emulator = await startEmulator({ seed: SEED, extraArgs: ['--faults'] });
});

after(async () => {
  await emulator?.stop();
});

const regexQuote = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes) => createHash('md5').update(bytes).digest('hex');

// POST /_emulator/faults (the emulator runs with --faults): the next matching S3 requests fail.
async function injectFault(fault) {
  const response = await fetch(`${emulator.ready.regions[REGION_NAME]}/_emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ target: 's3', ...fault }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()).fired;
}

async function faultsFired() {
  const response = await fetch(`${emulator.ready.regions[REGION_NAME]}/_emulator/faults`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return (await response.json()).fired;
}

// POST /v2/storage/files/prepare with federationToken=1: upload parameters with temporary credentials.
async function prepareFile(name, sizeBytes, { sliced = false } = {}) {
  const form = new URLSearchParams({ name, federationToken: '1' });
  if (sliced) form.set('isSliced', '1');
  if (sizeBytes !== undefined) form.set('sizeBytes', String(sizeBytes));
  const response = await fetch(`${emulator.ready.regions[REGION_NAME]}/v2/storage/files/prepare`, {
    method: 'POST',
    headers: { 'X-StorageApi-Token': TOKEN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const file = await response.json();
  assert.equal(file.provider, 'aws');
  assert.ok(file.uploadParams?.credentials?.SessionToken, 'files/prepare returns temporary credentials');
  return file;
}

function clientFor(file, credentials = file.uploadParams.credentials, { maxAttempts = 1 } = {}) {
  return new S3Client({
    endpoint: emulator.ready.s3,
    forcePathStyle: true,
    region: file.region,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    },
    maxAttempts, // 1 unless a test is about retries: a failure must surface, not be retried away
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: 5_000 },
  });
}

async function bodyBytes(output) {
  return Buffer.from(await output.Body.transformToByteArray());
}

test('PutObject, GetObject (whole and ranged), HeadObject and ListObjectsV2 with files/prepare credentials', async () => {
  const file = await prepareFile('orders.csv');
  const { bucket, key } = file.uploadParams;
  const s3 = clientFor(file);
  const content = Buffer.concat([Buffer.from('id,name\n'), randomBytes(256 * 1024)]);

  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content }));
  assert.equal(put.ETag, `"${md5(content)}"`);

  const whole = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  assert.equal(whole.ContentLength, content.length);
  assert.equal(sha256(await bodyBytes(whole)), sha256(content));

  const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=3-10' }));
  assert.equal(ranged.$metadata.httpStatusCode, 206);
  assert.equal(ranged.ContentRange, `bytes 3-10/${content.length}`);
  assert.deepEqual(await bodyBytes(ranged), content.subarray(3, 11));

  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  assert.equal(head.ContentLength, content.length);
  assert.equal(head.ETag, put.ETag);

  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }));
  assert.deepEqual(listed.Contents.map((object) => [object.Key, object.Size]), [[key, content.length]]);

  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${key}.missing` })), (error) => {
    assert.equal(error.$metadata?.httpStatusCode, 404);
    return true;
  });
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.missing` })), (error) => {
    assert.equal(error.name, 'NoSuchKey');
    return true;
  });
});

test('a streamed PutObject (aws-chunked with a checksum trailer) stores the exact bytes', async () => {
  const file = await prepareFile('streamed.csv');
  const { bucket, key } = file.uploadParams;
  const s3 = clientFor(file);
  const pieces = Array.from({ length: 12 }, (_, i) => randomBytes(100_000 + i));
  const content = Buffer.concat(pieces);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(pieces), ContentLength: content.length }));
  const back = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  assert.equal(sha256(await bodyBytes(back)), sha256(content));
});

test('multipart upload: CreateMultipartUpload, two UploadParts, CompleteMultipartUpload', async () => {
  const parts = [randomBytes(5 * MiB), randomBytes(2 * MiB + 123)];
  const content = Buffer.concat(parts);
  const file = await prepareFile('big.csv', content.length);
  const { bucket, key } = file.uploadParams;
  const s3 = clientFor(file);

  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  assert.ok(created.UploadId);
  const uploaded = [];
  for (const [index, part] of parts.entries()) {
    const answer = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, PartNumber: index + 1, Body: part }),
    );
    assert.equal(answer.ETag, `"${md5(part)}"`);
    uploaded.push({ PartNumber: index + 1, ETag: answer.ETag });
  }
  const completed = await s3.send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: uploaded } }),
  );
  const md5s = Buffer.concat(parts.map((part) => createHash('md5').update(part).digest()));
  assert.equal(completed.ETag, `"${md5(md5s)}-2"`);

  const back = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  assert.equal(back.ContentLength, content.length);
  assert.equal(sha256(await bodyBytes(back)), sha256(content));
});

test('tampered credentials are refused with 403', async () => {
  const file = await prepareFile('guarded.csv');
  const { bucket, key } = file.uploadParams;
  await clientFor(file).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'a,b\n' }));

  const credentials = { ...file.uploadParams.credentials };
  const secret = credentials.SecretAccessKey;
  credentials.SecretAccessKey = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
  await assert.rejects(clientFor(file, credentials).send(new GetObjectCommand({ Bucket: bucket, Key: key })), (error) => {
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.equal(error.name, 'SignatureDoesNotMatch');
    return true;
  });

  // Credentials of one file do not reach another file's key.
  const other = await prepareFile('other.csv');
  await assert.rejects(clientFor(other).send(new GetObjectCommand({ Bucket: bucket, Key: key })), (error) => {
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.equal(error.name, 'AccessDenied');
    return true;
  });
});

test('a URL pre-signed by @aws-sdk/s3-request-presigner works with fetch(); a tampered one gets 403', async () => {
  const file = await prepareFile('shared.csv');
  const { bucket, key } = file.uploadParams;
  const s3 = clientFor(file);
  const content = randomBytes(64 * 1024);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content }));

  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 600 });
  const ok = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  assert.equal(ok.status, 200);
  assert.deepEqual(Buffer.from(await ok.arrayBuffer()), content);

  const tampered = new URL(url);
  tampered.searchParams.set('X-Amz-Expires', '601');
  const refused = await fetch(tampered, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('a sliced file: slices and manifest under the prepared prefix, listed page by page', async () => {
  const file = await prepareFile('sliced.csv', undefined, { sliced: true });
  const { bucket, key: prefix } = file.uploadParams;
  const s3 = clientFor(file);
  const slices = Array.from({ length: 5 }, (_, i) => `${prefix}sliced.csv.part00${i}`);
  for (const key of slices) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `row of ${key}\n` }));
  const manifest = { entries: slices.map((key) => ({ url: `s3://${bucket}/${key}` })) };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}manifest`, Body: JSON.stringify(manifest) }));

  const keys = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: bucket, Prefix: prefix })) {
    pages += 1;
    keys.push(...(page.Contents ?? []).map((object) => object.Key));
  }
  assert.equal(pages, 3);
  assert.deepEqual(keys, [`${prefix}manifest`, ...slices]);

  const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix }));
  assert.deepEqual(v1.Contents.map((object) => object.Key), keys);
});

test('the SDK retries an injected 503 SlowDown and succeeds; without retries it sees SlowDown', async () => {
  const file = await prepareFile('throttled.csv');
  const { bucket, key } = file.uploadParams;
  const content = Buffer.from('id\n1\n');
  const before = await faultsFired();
  await injectFault({ method: 'PUT', pathRegex: regexQuote(key), status: 503, retryAfterSeconds: 1 });
  const retrying = clientFor(file, undefined, { maxAttempts: 3 });
  await retrying.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content }));
  assert.equal(await faultsFired(), before + 1);
  const back = await retrying.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  assert.deepEqual(await bodyBytes(back), content);

  await injectFault({ method: 'GET', pathRegex: regexQuote(key), status: 503 });
  await assert.rejects(clientFor(file).send(new GetObjectCommand({ Bucket: bucket, Key: key })), (error) => {
    assert.equal(error.$metadata?.httpStatusCode, 503);
    assert.equal(error.name, 'SlowDown');
    return true;
  });
});
