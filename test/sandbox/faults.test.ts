import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { clientFor, fetchJson, type TestClient } from './helpers.ts';

/** Injected faults: scripted ones exactly, random ones reproducibly from the seed. */
async function outcome(url: string): Promise<string> {
  try {
    const res = await fetch(url);
    if (res.status !== 200) return `http${res.status}`;
    return `errcode${((await res.json()) as { errcode: number }).errcode}`;
  } catch {
    return 'dropped';
  }
}

/** Faults apply to gettoken too, so the token is fetched before they are switched on. */
async function outcomes(sandbox: Sandbox, count: number, faults: Parameters<Sandbox['setFaults']>[0]): Promise<string[]> {
  const token = await clientFor(sandbox).token('contacts');
  sandbox.setFaults(faults);
  const url = `${sandbox.url}/cgi-bin/department/simplelist?access_token=${token}`;
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push(await outcome(url));
  return seen;
}

describe('sandbox faults', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = clientFor(await startSandbox({ seed: 71 }));
  });
  afterAll(() => api.sandbox.close());

  it('serves scripted faults to the next matching calls, in order', async () => {
    const token = await api.token('contacts');
    const url = `${api.sandbox.url}/cgi-bin/department/simplelist?access_token=${token}`;
    api.sandbox.setFaults({
      next: [
        { kind: 'http5xx', status: 503 },
        { kind: 'drop' },
        { kind: 'busy' },
        { kind: 'errcode', errcode: 45009 },
        { kind: 'slow', ms: 5 },
        { kind: 'busy', endpoint: 'user/list_id' },
      ],
    });
    expect(await outcome(url)).toBe('http503');
    expect(await outcome(url)).toBe('dropped');
    const busy = await fetchJson(url);
    expect(busy.errcode).toBe(-1);
    expect(busy.errmsg.startsWith('system busy')).toBe(true);
    expect(await outcome(url)).toBe('errcode45009');
    expect(await outcome(url)).toBe('errcode0');
    // The fault meant for user/list_id waits for a call to it.
    expect(await outcome(url)).toBe('errcode0');
    expect((await api.post('user/list_id', { limit: 1 }, 'contacts')).errcode).toBe(-1);
    expect(api.sandbox.stats().faults).toMatchObject({ http5xx: 1, drop: 1, busy: 2, errcode: 1, slow: 1 });
    expect(api.sandbox.faults().next).toEqual([]);
  });

  it('injects random faults at the configured rates, the same for the same seed', async () => {
    const settings = { http5xxRate: 0.2, dropRate: 0.1, busyRate: 0.2, slowRate: 0.1, slowMs: 1 };
    const a = await startSandbox({ seed: 72 });
    const b = await startSandbox({ seed: 72 });
    const c = await startSandbox({ seed: 73 });
    try {
      const [first, second, third] = [await outcomes(a, 40, settings), await outcomes(b, 40, settings), await outcomes(c, 40, settings)];
      expect(first).toEqual(second);
      expect(first).not.toEqual(third);
      expect(first.filter((o) => o === 'dropped').length).toBeGreaterThan(0);
      expect(first.filter((o) => o.startsWith('http5')).length).toBeGreaterThan(0);
      expect(first.filter((o) => o === 'errcode-1').length).toBeGreaterThan(0);
      expect(first.filter((o) => o === 'errcode0').length).toBeGreaterThan(0);
      // Restricting the faults to other endpoints spares this one.
      expect(new Set(await outcomes(a, 10, { ...settings, endpoints: ['user.listId'] }))).toEqual(new Set(['errcode0']));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('is controlled over HTTP and refuses invalid settings', async () => {
    const control = `${api.sandbox.url}/__sandbox/faults`;
    await api.token('contacts');
    const set = await fetchJson(control, { method: 'POST', body: JSON.stringify({ busyRate: 1 }) });
    expect(set).toMatchObject({ busyRate: 1, http5xxRate: 0 });
    expect((await api.get('department/simplelist', {}, 'contacts')).errcode).toBe(-1);
    const bad = await fetch(control, { method: 'POST', body: JSON.stringify({ busyRate: 2 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('busyRate');
    const tooMuch = await fetch(control, { method: 'POST', body: JSON.stringify({ busyRate: 0.7, dropRate: 0.7 }) });
    expect(tooMuch.status).toBe(400);
    await fetchJson(control, { method: 'POST', body: '{}' });
    expect((await api.get('department/simplelist', {}, 'contacts')).errcode).toBe(0);
  });
});
