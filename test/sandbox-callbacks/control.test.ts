import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackKeys } from '../../src/config/keys.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';
import { parseKey } from '../../src/wecom/callback/crypto.ts';
import { startReceiver, type Receiver } from './receiver.ts';

/** The control endpoints, the steady stream on an injected clock, and --config-out's callback keys. */

const NOW = new Date('2025-03-01T12:00:00Z');
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function sandboxWith(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ seed: 41, now: NOW, ...options, callbacks: { pumpIntervalMs: false, ...options.callbacks } });
  opened.push(sandbox);
  return sandbox;
}

async function control(sandbox: Sandbox, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('/__sandbox/callbacks and /__sandbox/events', () => {
  it('sets the URL at run time, simulates a batch, and shows the delivery counters', async () => {
    const sandbox = await sandboxWith();
    const receiver: Receiver = await startReceiver({ corpId: sandbox.corpId, secrets: sandbox.callbacks.secrets, now: () => sandbox.clock.nowMs() });
    opened.push(receiver);
    expect((await control(sandbox, 'POST', 'callbacks', { url: `${receiver.url}/` })).body).toMatchObject({ url: receiver.url, kinds: ['contacts', 'customer', 'archive'] });
    const batch = await control(sandbox, 'POST', 'events', { events: [{ type: 'member.renamed', name: '张三丰' }, { type: 'group.created' }] });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: { type: string }) => r.type)).toEqual(['member.renamed', 'group.created']);
    expect(batch.body.results[0].changed.name).toBe('张三丰');
    expect(batch.body.results.flatMap((r: { deliveries: Array<{ id: string }> }) => r.deliveries.map((d) => d.id))).toEqual(['d000001', 'd000002']);
    await sandbox.callbacks.idle();
    const status = (await control(sandbox, 'GET', 'callbacks')).body;
    expect(status.stats).toMatchObject({ sent: 2, acknowledged: 2, retried: 0, failed: 0, pending: 0, simulated: 2 });
    expect(status.recent.map((r: { event: string; status: string }) => `${r.event} ${r.status}`)).toEqual([
      'change_contact.update_user acknowledged', 'change_external_chat.create acknowledged',
    ]);
  });

  it('targets: given ones are used, wrong ones answer 400 naming them', async () => {
    const sandbox = await sandboxWith();
    const userid = sandbox.company.employee(3).userid;
    const moved = await control(sandbox, 'POST', 'events', { type: 'member.moved', userid, departmentId: 1 });
    expect(moved.body.results[0].changed).toMatchObject({ userid, department: [1] });
    expect((await control(sandbox, 'POST', 'events', { type: 'member.exploded' })).status).toBe(400);
    const badTarget = await control(sandbox, 'POST', 'events', { type: 'member.renamed', usrid: 'x' });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error).toMatch(/usrid/);
    const unknown = await control(sandbox, 'POST', 'events', { type: 'member.deleted', userid: 'nobody-here' });
    expect(unknown).toMatchObject({ status: 400, body: { error: expect.stringMatching(/nobody-here/) } });
    expect((await control(sandbox, 'POST', 'callbacks', { url: 'ftp://x' })).status).toBe(400);
  });
});

describe('POST /__sandbox/callbacks/verify', () => {
  it('makes WeCom’s URL check on each configured kind and says whether the echostr came back as-is', async () => {
    const sandbox = await sandboxWith();
    expect((await control(sandbox, 'POST', 'callbacks/verify')).status).toBe(400);
    for (const [suffix, ok] of [['', true], ['\n', false]] as const) {
      const receiver = await startReceiver({ corpId: sandbox.corpId, secrets: sandbox.callbacks.secrets, now: () => sandbox.clock.nowMs(), echoSuffix: suffix });
      opened.push(receiver);
      sandbox.callbacks.setUrl(receiver.url);
      const { body } = await control(sandbox, 'POST', 'callbacks/verify');
      expect(body.results.map((r: { kind: string; ok: boolean }) => [r.kind, r.ok])).toEqual([['contacts', ok], ['customer', ok], ['archive', ok]]);
      if (!ok) expect(body.results[0].problem).toMatch(/not the decrypted echostr/);
    }
  });
});

describe('the self-built app’s callback URL', () => {
  it('gets directory events within its visible scope, and customer events when it may call them', async () => {
    const sandbox = await sandboxWith({ rules: { appScope: { departments: [2], users: [] } }, callbacks: { kinds: ['contacts', 'customer', 'app'] } });
    const receiver = await startReceiver({ corpId: sandbox.corpId, secrets: sandbox.callbacks.secrets, now: () => sandbox.clock.nowMs() });
    opened.push(receiver);
    sandbox.callbacks.setUrl(receiver.url);
    const inside = sandbox.company.membersOf(2)[0]!;
    const outside = sandbox.company.membersOf(1).concat(sandbox.company.membersOf(3)).find((e) => !sandbox.company.employee(e).department.includes(2))!;
    const kindsOf = (type: 'member.renamed' | 'customer.edited', targets: Record<string, unknown>) => sandbox.callbacks.simulate({ type, ...targets })[0]!.deliveries.map((d) => d.kind);
    expect(kindsOf('member.renamed', { userid: sandbox.company.employee(inside).userid })).toEqual(['contacts', 'app']);
    expect(kindsOf('member.renamed', { userid: sandbox.company.employee(outside).userid })).toEqual(['contacts']);
    expect(kindsOf('customer.edited', {})).toEqual(['customer', 'app']);
    sandbox.rules.appCustomerAllowed = false;
    expect(kindsOf('customer.edited', {})).toEqual(['customer']);
    await sandbox.callbacks.idle();
    const app = receiver.received.filter((r) => r.kind === 'app');
    expect(app.map((r) => r.event.header.agentId)).toEqual([String(sandbox.agentId), String(sandbox.agentId)]);
    expect(receiver.refused).toEqual([]);
  });
});

describe('events per minute', () => {
  it('follows the sandbox clock, with types from the seed', async () => {
    const runs: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sandbox = await sandboxWith({ callbacks: { eventsPerMinute: 30 } });
      expect(sandbox.callbacks.pump()).toEqual([]);
      sandbox.clock.advance(60_000);
      const first = sandbox.callbacks.pump();
      expect(first).toHaveLength(30);
      sandbox.clock.advance(30_000);
      expect(sandbox.callbacks.pump()).toHaveLength(15);
      expect(sandbox.callbacks.pump()).toEqual([]);
      runs.push(first.map((e) => e.type));
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(new Set(runs[0]).size).toBeGreaterThan(5);
  });

  it('is set and stopped through the control endpoint', async () => {
    const sandbox = await sandboxWith();
    expect((await control(sandbox, 'POST', 'callbacks', { eventsPerMinute: 120 })).body.eventsPerMinute).toBe(120);
    sandbox.clock.advance(1000);
    expect(sandbox.callbacks.pump()).toHaveLength(2);
    await control(sandbox, 'POST', 'callbacks', { eventsPerMinute: 0 });
    sandbox.clock.advance(60_000);
    expect(sandbox.callbacks.pump()).toEqual([]);
    expect(sandbox.callbacks.status().stats.simulated).toBe(2);
  });
});

describe('--config-out', () => {
  it('writes a Token and a valid EncodingAESKey for each of the four callback kinds, the same for the same seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-callbacks-'));
    opened.push({ close: () => rm(dir, { recursive: true, force: true }) });
    const read = async (sandbox: Sandbox, name: string) => {
      await sandbox.writeConfig(join(dir, name));
      const text = await readFile(join(dir, name), 'utf8');
      return Object.fromEntries(text.split('\n').filter((l) => /^[A-Z_0-9]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    };
    const sandbox = await sandboxWith();
    const config = await read(sandbox, 'a.env');
    const kinds = ['app', 'contacts', 'customer', 'archive'] as const;
    const written = kinds.flatMap((kind) => Object.values(callbackKeys(kind)));
    expect(written.filter((key) => config[key])).toHaveLength(8);
    for (const kind of kinds) {
      const { token, aesKey } = callbackKeys(kind);
      expect(config[token]).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(config[aesKey]).toHaveLength(43);
      expect(() => parseKey(config[aesKey]!)).not.toThrow();
      expect({ token: config[token], encodingAesKey: config[aesKey] }).toEqual(sandbox.callbacks.secrets[kind]);
    }
    expect(new Set(written.map((key) => config[key])).size).toBe(8);
    expect(await read(await sandboxWith(), 'b.env')).toEqual(expect.objectContaining(Object.fromEntries(written.map((k) => [k, config[k]]))));
    const other = await read(await sandboxWith({ seed: 42 }), 'c.env');
    expect(written.filter((key) => other[key] === config[key])).toEqual([]);
  });
});
