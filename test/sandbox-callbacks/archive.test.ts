import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveExtension, type ArchiveExtensionFactory } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { chatdata } from '../sandbox-archive/helpers.ts';

/** archive.messages_added on a frozen clock: each release is pulled next, in seq and time order. */

let sandbox: Sandbox;
let factory: ArchiveExtensionFactory;

beforeAll(async () => {
  factory = archiveExtension();
  sandbox = await startSandbox({ seed: 61, now: new Date('2025-03-01T12:00:00Z'), extensions: [factory], callbacks: { pumpIntervalMs: false } });
});
afterAll(() => sandbox?.close());

describe('new archive messages', () => {
  it('are the next pull, twice on a frozen clock, with increasing times', async () => {
    const archive = factory.instance!.archive;
    const before = archive.window().last + 1;
    const first = sandbox.callbacks.simulate({ type: 'archive.messages_added', count: 3 })[0]!.changed;
    const second = sandbox.callbacks.simulate({ type: 'archive.messages_added', count: 2 })[0]!.changed;
    expect(first).toEqual({ messages: 3, firstSeq: before + 1, lastSeq: before + 3 });
    expect(second).toEqual({ messages: 2, firstSeq: before + 4, lastSeq: before + 5 });
    const page = await chatdata(sandbox, before, 1000);
    expect(page.chatdata!.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5].map((k) => before + k));
    const times = page.chatdata!.map((m) => archive.timeline.msgtime(m.seq - 1));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(5);
    expect(Math.min(...times)).toBeGreaterThan(archive.timeline.msgtime(before - 1));
  });
});
