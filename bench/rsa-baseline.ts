import { constants, createPrivateKey, privateDecrypt, publicEncrypt, createPublicKey } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The yardstick of DESIGN.md's archive target: this machine's RSA-2048 private-decryption rate on
 * all cores, the way the product decrypts (Node's privateDecrypt with RSA_NO_PADDING), one worker
 * thread per core, measured in the same run as the product.
 */

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { constants, createPrivateKey, privateDecrypt } = require('node:crypto');
const key = createPrivateKey(workerData.pem);
const ciphertexts = workerData.ciphertexts.map((b) => Buffer.from(b, 'base64'));
const deadline = Date.now() + workerData.ms;
let ops = 0;
while (Date.now() < deadline) {
  for (let i = 0; i < 50; i++) privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertexts[(ops + i) % ciphertexts.length]);
  ops += 50;
}
parentPort.postMessage(ops);
`;

function sampleCiphertexts(pem: string, count: number): string[] {
  const publicKey = createPublicKey(createPrivateKey(pem));
  return Array.from({ length: count }, (_, i) =>
    publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(`k${i}`.padEnd(88, 'x'))).toString('base64'));
}

export interface Baseline {
  threads: number;
  /** Decryptions per second on all threads together (wall clock). */
  perSecond: number;
  /** CPU time of one decryption on this thread, in µs (unaffected by other load on the machine). */
  cpuMicrosPerOp: number;
}

/** CPU µs of one decryption, measured with process.cpuUsage on this thread alone. */
function cpuPerOp(pem: string, ciphertexts: string[]): number {
  const key = createPrivateKey(pem);
  const buffers = ciphertexts.map((c) => Buffer.from(c, 'base64'));
  const ops = 2000;
  const before = process.cpuUsage();
  for (let i = 0; i < ops; i++) privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, buffers[i % buffers.length]!);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / ops;
}

export async function measureRsaBaseline(pem: string, ms = 4000): Promise<Baseline> {
  const threads = availableParallelism();
  const ciphertexts = sampleCiphertexts(pem, 64);
  const started = Date.now();
  const counts = await Promise.all(Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { pem, ciphertexts, ms } });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  const seconds = (Date.now() - started) / 1000;
  return { threads, perSecond: counts.reduce((a, b) => a + b, 0) / seconds, cpuMicrosPerOp: cpuPerOp(pem, ciphertexts) };
}
