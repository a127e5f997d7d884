import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/wecom-archive');

/** Reads the child's stdout until the sandbox URL appears. */
function urlFrom(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) resolveUrl(match[0]);
    });
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code}) before printing its URL:\n${out}`)));
  });
}

function parseConfig(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('wecom-archive sandbox (CLI)', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('says the port is taken (exit 2), not an internal error, when another program holds it', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    try {
      const port = String((holder.address() as AddressInfo).port);
      const run = spawnSync(process.execPath, [bin, 'sandbox', '--port', port, '--lang', 'en'], { cwd: root, encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
      expect(run.stderr).toContain('already uses that port');
      expect(run.stderr).not.toContain('Internal error');
    } finally {
      holder.close();
    }
  });

  it('runs in the foreground, prints its URL and writes a working 0600 config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
    dirs.push(dir);
    const file = join(dir, 'wecom.env');
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--config-out', file, '--seed', '5'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await urlFrom(child);
      const text = await readFile(file, 'utf8');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const config = parseConfig(text);
      for (const key of ['CORP_ID', 'APP_SECRET', 'APP_AGENT_ID', 'CUSTOMER_SECRET', 'CONTACTS_SECRET', 'CHAT_ARCHIVE_SECRET']) expect(config[key]).toBeTruthy();
      expect(config.WECOM_API_BASE).toBe(url);
      expect(text).toMatch(/^# /);
      for (const secret of ['APP_SECRET', 'CUSTOMER_SECRET', 'CONTACTS_SECRET', 'CHAT_ARCHIVE_SECRET']) {
        const answer: any = await (await fetch(`${config.WECOM_API_BASE}/cgi-bin/gettoken?corpid=${config.CORP_ID}&corpsecret=${config[secret]}`)).json();
        expect(answer.errcode).toBe(0);
      }
      const summary: any = await (await fetch(`${url}/__sandbox/summary`)).json();
      for (const key of ['departments', 'employees', 'customers', 'follow_relations', 'groups']) expect(summary[key]).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((done) => (child.exitCode !== null ? done(child.exitCode) : child.on('exit', done)));
    expect(code).toBe(0);
  });

  it('documents every option in --help and refuses bad values', () => {
    const help = spawnSync(process.execPath, [bin, 'sandbox', '--help', '--lang', 'en'], { cwd: root, encoding: 'utf8' });
    for (const option of ['--port', '--seed', '--size', '--config-out', '--trusted-ip', '--token-ttl', '--now', '--rate-limit-per-minute', '--concurrency', '--fault-5xx', '--fault-drop', '--fault-slow', '--fault-busy']) {
      expect(help.stdout).toContain(option);
    }
    const bad = spawnSync(process.execPath, [bin, 'sandbox', '--size', 'huge', '--lang', 'en'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--size');
  });
});
