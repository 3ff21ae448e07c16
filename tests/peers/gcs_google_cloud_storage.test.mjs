// The emulator's GCS endpoint against the official Google Cloud Storage client for Node.js
// (@google-cloud/storage), a GCS JSON API client nobody here wrote: resumable uploads in
// 256 KiB-multiple chunks with Content-Range and 308 answers, CRC32C-validated downloads,
// ranged downloads, metadata, delete, and the errors of a token used outside its key prefix.
// The bearer token comes from the emulator's files/prepare in a gcp region, exactly as
// Keboola's clients get it (gcsUploadParams.access_token); the client is pointed at the
// emulator with apiEndpoint and never looks for Google credentials or the network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Storage } from '@google-cloud/storage';
import { OAuth2Client } from 'google-auth-library';

import { startEmulator } from './s3_emulator_process.mjs';

// Never ask a GCE metadata server (or anything off this machine) for credentials or a project.
process.env.METADATA_SERVER_DETECTION = 'none';
delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
delete process.env.STORAGE_EMULATOR_HOST;

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = path.join(here, 'fixtures', 'gcs_peer_seed.json');
const TOKEN = '301-gcs-peer-master-token';
const REGION_NAME = 'europe-west3';
const KiB = 1024;
const MiB = 1024 * KiB;
const REQUEST_TIMEOUT_MS = 30_000;

let emulator;

before(async () => {
  emulator = await startEmulator({ seed: SEED });
  assert.ok(emulator.ready.gcs?.startsWith('http://127.0.0.1:'), 'the ready file names the GCS endpoint');
});

after(async () => {
  await emulator?.stop();
});

const md5Base64 = (bytes) => createHash('md5').update(bytes).digest('base64');

async function prepareFile(name) {
  const response = await fetch(`${emulator.ready.regions[REGION_NAME]}/v2/storage/files/prepare`, {
    method: 'POST',
    headers: { 'X-StorageApi-Token': TOKEN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name, federationToken: '1' }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const file = await response.json();
  assert.equal(file.provider, 'gcp');
  assert.equal(file.uploadParams, undefined);
  assert.equal(file.gcsUploadParams.token_type, 'Bearer');
  assert.ok(file.gcsUploadParams.expires_in > 3000 && file.gcsUploadParams.expires_in <= 3600);
  return file;
}

// The official client with the emulator's bearer token (an OAuth2Client holding an access
// token only: nothing to refresh, nothing to discover).
function storageFor(params) {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: params.access_token, expiry_date: Date.now() + params.expires_in * 1000 });
  return new Storage({
    apiEndpoint: emulator.ready.gcs,
    useAuthWithCustomEndpoint: true,
    authClient,
    projectId: params.projectId,
    retryOptions: { autoRetry: false },
  });
}

test('resumable upload in several chunks, whole and ranged download, metadata and delete', async () => {
  const file = await prepareFile('orders.csv');
  const { bucket, key } = file.gcsUploadParams;
  const storage = storageFor(file.gcsUploadParams);
  const object = storage.bucket(bucket).file(key);
  // 3 MiB + a bit, sent in 1 MiB chunks: three 308 answers, then the final chunk.
  const content = Buffer.concat([Buffer.from('id,name\n'), randomBytes(3 * MiB + 123)]);
  const progress = [];
  // The session is started with the token (createResumableUpload honours
  // useAuthWithCustomEndpoint); its chunks go to the session URI, which is the credential, as
  // on GCS (createWriteStream alone would drop the Authorization header on a custom endpoint).
  const [uri] = await object.createResumableUpload({ metadata: { contentType: 'text/csv' } });
  assert.match(uri, /upload_id=/);
  await new Promise((resolve, reject) => {
    const stream = object.createWriteStream({ uri, resumable: true, chunkSize: MiB, validation: 'crc32c', contentType: 'text/csv' });
    stream.on('progress', (event) => progress.push(event.bytesWritten));
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(content);
  });
  assert.ok(progress.length >= 4, `several chunk requests were made (${progress.length})`);

  const [metadata] = await object.getMetadata();
  assert.equal(metadata.name, key);
  assert.equal(metadata.bucket, bucket);
  assert.equal(Number(metadata.size), content.length);
  assert.equal(metadata.md5Hash, md5Base64(content));
  assert.equal(metadata.contentType, 'text/csv');
  assert.match(metadata.generation, /^\d+$/);

  // The client validates the whole download against x-goog-hash (CRC32C).
  const [whole] = await object.download({ validation: 'crc32c' });
  assert.equal(whole.length, content.length);
  assert.ok(whole.equals(content));

  const [ranged] = await object.download({ start: 100, end: 100 + 300 * KiB - 1 });
  assert.ok(ranged.equals(content.subarray(100, 100 + 300 * KiB)));

  // files/{id} gives the same bytes through its V4 signed URL, no token needed.
  const detail = await (
    await fetch(`${emulator.ready.regions[REGION_NAME]}/v2/storage/files/${file.id}?federationToken=1`, {
      headers: { 'X-StorageApi-Token': TOKEN },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
  ).json();
  assert.deepEqual(detail.gcsPath, { bucket, key });
  assert.match(detail.url, /X-Goog-Algorithm=GOOG4-HMAC-SHA256/);
  const signed = await fetch(detail.url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  assert.equal(signed.status, 200);
  assert.ok(Buffer.from(await signed.arrayBuffer()).equals(content));

  await object.delete();
  const [exists] = await object.exists();
  assert.equal(exists, false);
  await assert.rejects(object.getMetadata(), (error) => {
    assert.equal(error.code, 404);
    return true;
  });
});

test('a single-request (multipart) upload and a small resumable one store the exact bytes', async () => {
  const file = await prepareFile('small.csv');
  const { bucket, key } = file.gcsUploadParams;
  const storage = storageFor(file.gcsUploadParams);
  const multipart = storage.bucket(bucket).file(key);
  const content = Buffer.from('id,name\n1,"a, b"\n');
  await multipart.save(content, { resumable: false, metadata: { metadata: { origin: 'peer-test' } } });
  const [metadata] = await multipart.getMetadata();
  assert.equal(Number(metadata.size), content.length);
  assert.deepEqual(metadata.metadata, { origin: 'peer-test' });
  const [back] = await multipart.download();
  assert.ok(back.equals(content));

  // Default resumable mode (no chunkSize): one PUT of the whole body, "bytes 0-*/*".
  const resumable = storage.bucket(bucket).file(`${key}.copy`);
  const bigger = randomBytes(700 * KiB);
  const [uri] = await resumable.createResumableUpload();
  await resumable.save(bigger, { resumable: true, uri });
  const [again] = await resumable.download();
  assert.ok(again.equals(bigger));
});

test('a token is refused outside its key prefix (403) and an unknown one is 401', async () => {
  const file = await prepareFile('scoped.csv');
  const { bucket, key } = file.gcsUploadParams;
  const storage = storageFor(file.gcsUploadParams);
  await assert.rejects(storage.bucket(bucket).file(`not-${key}`).save(Buffer.from('x'), { resumable: false }), (error) => {
    assert.equal(error.code, 403);
    return true;
  });
  const stranger = storageFor({ ...file.gcsUploadParams, access_token: 'ya29.not-issued-here' });
  await assert.rejects(stranger.bucket(bucket).file(key).getMetadata(), (error) => {
    assert.equal(error.code, 401);
    return true;
  });
});
