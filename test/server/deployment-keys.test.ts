import { describe, expect, it } from 'vitest';
import { loadDeployment } from '../../src/config/deployment.ts';

/** The server's deployment keys: defaults, how each value is read, and invalid values reported with their key. */

const CORP = { CORP_ID: 'wwkeystest00000001', DATA_DIR: '/tmp/wa-keys-test' };

describe('SERVER_HOST, SERVER_PORT, PUBLIC_URL, TRUST_PROXY', () => {
  it('default to this machine, port 8080, no public URL, no proxy trusted', async () => {
    const deployment = await loadDeployment({ env: CORP, strict: false, cwd: '/nonexistent' });
    expect(deployment.server).toEqual({ host: '127.0.0.1', port: 8080, publicUrl: undefined, trustProxy: false });
  });

  it('read a port, a base URL without its trailing slash, and trustProxy as Fastify takes it', async () => {
    const read = async (env: Record<string, string>) => (await loadDeployment({ env: { ...CORP, ...env }, strict: false, cwd: '/nonexistent' })).server;
    expect(await read({ SERVER_HOST: '0.0.0.0', SERVER_PORT: '9000', PUBLIC_URL: 'https://archive.example.com/', TRUST_PROXY: 'true' }))
      .toEqual({ host: '0.0.0.0', port: 9000, publicUrl: 'https://archive.example.com', trustProxy: true });
    expect((await read({ TRUST_PROXY: '2' }))?.trustProxy).toBe(2);
    expect((await read({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }))?.trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('reports an invalid port or public URL with its key', async () => {
    const deployment = await loadDeployment({ env: { ...CORP, SERVER_PORT: '70000', PUBLIC_URL: 'archive.example.com' }, strict: false, cwd: '/nonexistent' });
    const keys = deployment.problems.filter((p) => p.severity === 'error').map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['SERVER_PORT', 'PUBLIC_URL']));
    expect(deployment.server?.port).toBe(8080);
  });
});
