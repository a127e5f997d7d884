import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { authenticate, createToken, hashToken, listTokens, revokeToken } from '../../src/services/tokens.ts';
import { runtimeOver } from '../archive-reading/runtime.ts';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases, describeStores, type TestDatabase } from '../helpers/databases.ts';

/** API tokens: made once and shown once, stored as a hash, listed without themselves, revoked by id or name. */

const CORP = 'wwtokenstest000001';

describeStores('API tokens', (getStore) => {
  it('stores only the hash and a prefix; authenticates the token until it is revoked', async () => {
    const rt = runtimeOver(getStore(), [CORP]);
    const created = await createToken(rt, { name: ' web ui ', now: 1_000 });
    expect(created).toMatchObject({ ok: true, name: 'web ui', createdAt: 1_000 });
    expect(created.token).toMatch(/^wca_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const rows = await getStore().db.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(4));
    expect(rows[0]!.token_hash).toBe(hashToken(created.token));

    expect(await authenticate(rt, created.token, 100_000)).toEqual({ kind: 'token', tokenId: created.id, name: 'web ui', role: 'auditor', corps: [], departments: [] });
    expect(await authenticate(rt, `${created.token.slice(0, -1)}x`)).toBeNull();
    expect(await authenticate(rt, 'not-a-token')).toBeNull();

    const listed = await listTokens(rt);
    expect(listed.tokens).toEqual([{ id: created.id, name: 'web ui', prefix: created.prefix, role: 'auditor', corps: [], departments: [], createdAt: 1_000, lastUsedAt: 100_000, revokedAt: null }]);
    expect(JSON.stringify(listed)).not.toContain(created.token);

    await revokeToken(rt, { idOrName: 'web ui', now: 200_000 });
    expect(await authenticate(rt, created.token)).toBeNull();
    await expect(revokeToken(rt, { idOrName: created.id })).rejects.toMatchObject({ code: 'token_already_revoked' });
    await expect(revokeToken(rt, { idOrName: 'web ui' })).rejects.toMatchObject({ code: 'token_unknown' });
  });

  it('records a use at most once a minute', async () => {
    const rt = runtimeOver(getStore(), [CORP]);
    const { token, id } = await createToken(rt, { name: 'ci', now: 0 });
    const lastUsed = async () => (await listTokens(rt)).tokens.find((tk) => tk.id === id)!.lastUsedAt;
    await authenticate(rt, token, 10_000);
    await authenticate(rt, token, 69_999);
    expect(await lastUsed()).toBe(10_000);
    await authenticate(rt, token, 70_000);
    expect(await lastUsed()).toBe(70_000);
  });

  it('refuses a blank name, and a name two live tokens share (revoke by id then)', async () => {
    const rt = runtimeOver(getStore(), [CORP]);
    await expect(createToken(rt, { name: '  ' })).rejects.toMatchObject({ code: 'token_bad_name' });
    const a = await createToken(rt, { name: 'twin' });
    await createToken(rt, { name: 'twin' });
    await expect(revokeToken(rt, { idOrName: 'twin' })).rejects.toMatchObject({ code: 'token_ambiguous' });
    expect((await revokeToken(rt, { idOrName: a.id })).token).toMatchObject({ id: a.id, revokedAt: expect.any(Number) });
  });
});

function configFile(database: TestDatabase): string {
  const folder = join(database.dataDir, 'config');
  mkdirSync(folder);
  const file = join(folder, 'wecom.env');
  writeFileSync(file, [`CORP_ID=${CORP}`, `DATA_DIR=${database.dataDir}`, ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : []), ''].join('\n'));
  chmodSync(file, 0o600);
  return file;
}

describeDatabases('tokens commands', (getDatabase) => {
  it('create prints the token once, list never shows it, revoke by name', async () => {
    const config = configFile(getDatabase());
    const empty = await runCli(['tokens', 'list', '--config', config, '--json']);
    expect(JSON.parse(empty.stdout)).toEqual({ ok: true, tokens: [], truncated: false });

    const made = await runCli(['tokens', 'create', '--name', 'dashboard', '--config', config, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const created = JSON.parse(made.stdout) as { token: string; id: string; name: string };
    expect(created).toMatchObject({ ok: true, name: 'dashboard', token: expect.stringMatching(/^wca_/) });

    const plain = await runCli(['tokens', 'create', '--name', 'other', '--config', config]);
    expect(plain.stdout.trim()).toMatch(/^wca_[A-Za-z0-9_-]{43}$/);
    expect(plain.stderr).toContain('只显示这一次');

    const list = await runCli(['tokens', 'list', '--config', config, '--lang', 'en']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('dashboard');
    expect(list.stdout).not.toContain(created.token);
    expect(list.stdout).not.toContain(plain.stdout.trim());

    const revoked = await runCli(['tokens', 'revoke', 'dashboard', '--config', config, '--json']);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ ok: true, token: { id: created.id, revokedAt: expect.any(Number) } });
    const again = await runCli(['tokens', 'revoke', created.id, '--config', config]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已被撤销');
  }, 60_000);
});
