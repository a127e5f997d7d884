import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';
import { clientFor } from '../sandbox/helpers.ts';
import { freePort, startReceiver, type Receiver } from './receiver.ts';

/** Delivery as WeCom does it: retries on network failure and time-out only, in order, bounded. */

const NOW = new Date('2025-03-01T12:00:00Z');
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function sandboxWith(callbacks: SandboxOptions['callbacks']): Promise<Sandbox> {
  const sandbox = await startSandbox({ seed: 31, now: NOW, callbacks: { pumpIntervalMs: false, ...callbacks } });
  opened.push(sandbox);
  return sandbox;
}

async function receiverFor(sandbox: Sandbox, options: { status?: number; port?: number } = {}): Promise<Receiver> {
  const receiver = await startReceiver({ corpId: sandbox.corpId, secrets: sandbox.callbacks.secrets, now: () => sandbox.clock.nowMs(), ...options });
  opened.push(receiver);
  return receiver;
}

describe('retries', () => {
  it('retries a refused connection, and the retry succeeds once the receiver is up', async () => {
    const port = await freePort();
    let receiver: Receiver | undefined;
    const sandbox: Sandbox = await sandboxWith({
      url: `http://127.0.0.1:${port}`,
      // The pause before the first retry is when the receiver comes up.
      sleep: async () => {
        receiver ??= await receiverFor(sandbox, { port });
      },
    });
    const [result] = sandbox.callbacks.simulate({ type: 'member.renamed' });
    await sandbox.callbacks.idle();
    expect(receiver!.received.map((r) => r.event.kind)).toEqual(['change_contact.update_user']);
    expect(sandbox.callbacks.status().stats).toMatchObject({ sent: 2, retried: 1, acknowledged: 1, failed: 0, pending: 0 });
    const record = sandbox.callbacks.status().recent.find((r) => r.id === result!.deliveries[0]!.id)!;
    expect(record).toMatchObject({ status: 'acknowledged', attempts: 2, httpStatus: 200, error: 'ECONNREFUSED' });
  });

  it('gives up after WeCom’s 3 retries', async () => {
    const sandbox = await sandboxWith({ url: `http://127.0.0.1:${await freePort()}`, sleep: async () => undefined });
    sandbox.callbacks.simulate({ type: 'member.deleted' });
    await sandbox.callbacks.idle();
    expect(sandbox.callbacks.status().stats).toMatchObject({ sent: 4, retried: 3, acknowledged: 0, failed: 1, rejected: 0 });
    expect(sandbox.callbacks.status().recent[0]).toMatchObject({ status: 'failed', attempts: 4, error: 'ECONNREFUSED' });
  });

  it('retries a time-out', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    opened.push({ close: () => new Promise<void>((resolve) => (silent.close(() => resolve()), silent.closeAllConnections())) });
    const sandbox = await sandboxWith({
      url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, delivery: { timeoutMs: 50, retryDelaysMs: [0] }, sleep: async () => undefined,
    });
    sandbox.callbacks.simulate({ type: 'group.dismissed' });
    await sandbox.callbacks.idle();
    expect(sandbox.callbacks.status().stats).toMatchObject({ sent: 2, retried: 1, failed: 1 });
    expect(sandbox.callbacks.status().recent[0]).toMatchObject({ status: 'failed', error: 'timed out' });
  });

  it('never retries an HTTP error answer', async () => {
    const sandbox = await sandboxWith({ sleep: async () => expect.fail('no retry after an HTTP answer') });
    const receiver = await receiverFor(sandbox, { status: 500 });
    sandbox.callbacks.setUrl(receiver.url);
    sandbox.callbacks.simulate({ type: 'customer.edited' });
    await sandbox.callbacks.idle();
    expect(receiver.received).toHaveLength(1);
    expect(sandbox.callbacks.status().stats).toMatchObject({ sent: 1, retried: 0, failed: 1, rejected: 1, acknowledged: 0 });
    expect(sandbox.callbacks.status().recent[0]).toMatchObject({ status: 'rejected', httpStatus: 500 });
  });
});

describe('order and bounds', () => {
  it('delivers one corp’s callbacks in order', async () => {
    const sandbox = await sandboxWith({});
    const receiver = await receiverFor(sandbox);
    sandbox.callbacks.setUrl(receiver.url);
    const types = ['group.created', 'member.renamed', 'customer.added', 'department.created', 'group.dismissed', 'customer_tag.created'] as const;
    const results = sandbox.callbacks.simulate(types.map((type) => ({ type })));
    await sandbox.callbacks.idle();
    expect(receiver.received.map((r) => r.event.kind)).toEqual(results.flatMap((r) => r.deliveries.map((d) => d.event)));
  });

  it('drops deliveries beyond the bounded queue, and counts them', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sandbox = await sandboxWith({ url: `http://127.0.0.1:${await freePort()}`, delivery: { maxQueue: 2, retryDelaysMs: [0] }, sleep: () => held });
    const results = sandbox.callbacks.simulate(Array.from({ length: 5 }, () => ({ type: 'member.renamed' as const })));
    // The first is in flight (held before its retry), two wait, two are dropped.
    expect(results.map((r) => r.deliveries[0]!.status)).toEqual(['pending', 'pending', 'pending', 'dropped', 'dropped']);
    expect(sandbox.callbacks.status().stats).toMatchObject({ dropped: 2, pending: 3 });
    release();
    await sandbox.callbacks.idle();
    expect(sandbox.callbacks.status().stats).toMatchObject({ dropped: 2, pending: 0, failed: 3 });
  });

  it('sends nothing without a URL, and says so', async () => {
    const sandbox = await sandboxWith({});
    const [result] = sandbox.callbacks.simulate({ type: 'member.moved' });
    expect(result!.deliveries).toEqual([]);
    expect(sandbox.callbacks.status()).toMatchObject({ url: null, stats: { sent: 0, unsent: 1, simulated: 1 } });
  });
});

describe('writes through the API', () => {
  it('send no callback, as in WeCom', async () => {
    const sandbox = await sandboxWith({});
    const receiver = await receiverFor(sandbox);
    sandbox.callbacks.setUrl(receiver.url);
    const client = clientFor(sandbox);
    const [member] = (await client.get('externalcontact/get_follow_user_list', {}, 'customer')).follow_user as string[];
    const [customer] = (await client.get('externalcontact/list', { userid: member! }, 'customer')).external_userid as string[];
    expect((await client.post('externalcontact/remark', { userid: member, external_userid: customer, remark: 'API 备注' })).errcode).toBe(0);
    expect((await client.post('externalcontact/add_corp_tag', { group_name: 'API 组', tag: [{ name: 'API 标签' }] })).errcode).toBe(0);
    await sandbox.callbacks.idle();
    expect(receiver.received).toEqual([]);
    expect(sandbox.callbacks.status().stats).toMatchObject({ sent: 0, simulated: 0 });
  });
});
