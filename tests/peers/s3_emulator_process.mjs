// Runs the real kbc-storage-emulator for peer tests: free loopback ports (--port 0), a
// bounded wait for its --ready-file, and a stop that always happens (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

export async function startEmulator({ seed, extraArgs = [] }) {
  const binary = process.env.KBC_EMULATOR_BIN;
  if (!binary) throw new Error('KBC_EMULATOR_BIN is not set: run this test through ctest, or export the path of kbc-storage-emulator');
  const workDir = mkdtempSync(path.join(tmpdir(), 'kbc-s3-peer-'));
  const readyFile = path.join(workDir, 'ready.json');
  const child = spawn(binary, ['--port', '0', '--ready-file', readyFile, '--seed', seed, ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(timer);
    }
    rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!existsSync(readyFile)) {
    if (exited !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`kbc-storage-emulator did not become ready (${JSON.stringify(exited)}); stderr:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const ready = JSON.parse(readFileSync(readyFile, 'utf8'));
  return { ready, stop, stderr: () => stderr };
}
