import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointNames, endpoints } from '../../src/wecom/endpoints.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { clientFor, fetchJson, type TestClient } from './helpers.ts';

/** Every endpoint of the catalogue is served at its path, with a WeCom-shaped answer. */
describe('sandbox routing from the catalogue', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = clientFor(await startSandbox({ seed: 101 }));
  });
  afterAll(() => api.sandbox.close());

  it('answers each catalogue endpoint for its first credential kind, even without parameters', async () => {
    for (const name of endpointNames) {
      const spec = endpoints[name];
      if (spec.credentials.length === 0) continue;
      const token = await api.token(spec.credentials[0]);
      const res = await fetch(`${api.sandbox.url}/cgi-bin/${spec.path}?access_token=${token}`, spec.method === 'POST' ? { method: 'POST', body: '{}' } : {});
      expect(res.status, name).toBe(200);
      const answer = (await res.json()) as { errcode: number; errmsg: string };
      expect(typeof answer.errcode, name).toBe('number');
      // Missing required parameters are 40058; anything else must be a rule's answer, never a sandbox failure.
      expect([0, 40058, 84061, 60123], `${name}: ${answer.errmsg}`).toContain(answer.errcode);
      if (answer.errcode === 0) expect(answer.errmsg).toBe('ok');
    }
    expect(Object.keys(api.sandbox.stats().calls).sort()).toEqual([...endpointNames].sort());
  });

  it('accepts the /cgi-bin/ path only', async () => {
    const token = await api.token('app');
    const res = await fetch(`${api.sandbox.url}/department/list?access_token=${token}`);
    expect(res.status).toBe(404);
    expect((await fetchJson(`${api.sandbox.url}/cgi-bin/department/list?access_token=${token}`)).errcode).toBe(0);
  });
});
