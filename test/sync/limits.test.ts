import { afterEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import type { EntityName } from '../../src/store/entities.ts';
import { describeStores } from '../helpers/databases.ts';
import { canonicalDump, liveCount, startTestSandbox, SUMMARY_OF, syncWith } from './helpers.ts';

/**
 * What WeCom throws at a sync, absorbed: concurrency refusals (45033), the owner filter groupchat/list
 * demands beyond 1000 follow users (81017), and a flaky network. The data must come out exact.
 */

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function expectExact(sandbox: Sandbox, db: Parameters<typeof liveCount>[0], only?: EntityName[]): Promise<void> {
  const summary = sandbox.summary();
  for (const [entity, key] of Object.entries(SUMMARY_OF)) {
    if (only && !only.includes(entity as EntityName)) continue;
    expect(await liveCount(db, entity as EntityName, sandbox.corpId), entity).toBe(summary[key!]);
  }
}

describeStores('limits and faults', (getStore) => {
  it('absorbs 45033 when WeCom allows fewer calls in flight than the sync starts with', async () => {
    // The sandbox caps customer endpoints at 2 in flight, and holds each answer a little.
    sandbox = await startTestSandbox({ limits: { concurrency: 2, responseDelayMs: 5 } });
    const result = await syncWith(getStore(), sandbox, { scopes: ['customers', 'groups'] });
    expect(result.status).toBe('succeeded');
    expect(result.tally.errcodeCount(45033)).toBeGreaterThan(0);
    expect(result.tally.errcodeCount(45009)).toBe(0);
    await expectExact(sandbox, getStore().db, ['customers', 'follow_relations', 'customer_groups']);
  });

  it('lists groups per batch of owners once WeCom answers 81017, with the same result', async () => {
    sandbox = await startTestSandbox();
    const reference = await syncWith(getStore(), sandbox, { scopes: ['groups'] });
    const before = await canonicalDump(getStore().db, sandbox.corpId);
    sandbox.setFaults({ next: [{ kind: 'errcode', endpoint: 'externalcontact.groupchatList', errcode: 81017 }] });
    const result = await syncWith(getStore(), sandbox, { scopes: ['groups'] });
    expect(result.status).toBe('succeeded');
    expect(result.tally.endpoints['externalcontact.groupchatList']!.errcodes[81017]).toBe(1);
    expect(result.tally.endpoints['externalcontact.getFollowUserList']!.requests).toBe(1);
    expect(result.tally.entities.customer_groups.unchanged).toBe(reference.tally.entities.customer_groups.inserted);
    expect(await canonicalDump(getStore().db, sandbox.corpId)).toEqual(before);
  });

  it('comes through 5xx answers, dropped connections and errcode -1 with exact data', async () => {
    sandbox = await startTestSandbox({ faults: { http5xxRate: 0.03, dropRate: 0.02, busyRate: 0.03 } });
    const result = await syncWith(getStore(), sandbox);
    expect(result.status).toBe('succeeded');
    expect(Object.values(sandbox.stats().faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await expectExact(sandbox, getStore().db);
  });
});
