import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run demo` keeps running after its steps (issue 10 item 8): serve over the demo's store, the
 * sandbox's live stream of callbacks applied, an API token printed once, and Ctrl+C (SIGINT to the
 * whole process group, as a terminal sends it) stopping everything with exit 0. `--quick` runs only
 * the set-up and sync steps; WECOM_ARCHIVE_DEMO_DIR keeps the repository's ./demo untouched.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'wa-demo-live-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the demo, live', () => {
  it('serves the store with the printed token, applies the live stream, and stops cleanly on Ctrl+C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--lang', 'en', '--quick', '--serve', '--events-per-minute', '120'], {
      cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WECOM_ARCHIVE_DEMO_DIR: join(base, 'demo'), NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    const waiters: Array<() => void> = [];
    child.stdout.on('data', (chunk) => { stdout += chunk; for (const w of waiters.splice(0)) w(); });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    /** Resolves with the first match of `pattern` in stdout (the test's time-out bounds the wait). */
    const printed = (pattern: RegExp) => new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) resolve(match);
        else if (child.exitCode !== null) reject(new Error(`the demo exited ${child.exitCode}: ${stdout}\n${stderr}`));
        else waiters.push(check);
      };
      void exited.then(check);
      check();
    });
    try {
      const url = (await printed(/Service: +(http:\/\/\S+)/))[1]!;
      const token = (await printed(/API token: +(\S+)/))[1]!;
      expect(stdout).toContain(`OpenAPI:     ${url}/api/v1/openapi.json`);

      const employees = await fetch(`${url}/api/v1/employees?limit=3`, { headers: { authorization: `Bearer ${token}` } });
      expect(employees.status).toBe(200);
      expect(((await employees.json()) as { employees: unknown[] }).employees).toHaveLength(3);
      expect((await fetch(`${url}/api/v1/employees?limit=3`)).status).toBe(401);

      // The printed sign-ins work in the web UI, each with its role.
      expect(stdout).toContain(`Web UI:      ${url}/`);
      for (const role of ['admin', 'auditor', 'manager']) {
        const password = (await printed(new RegExp(`^ +${role} / (\\S+)$`, 'm')))[1]!;
        const session = await fetch(`${url}/api/v1/session`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: role, password }),
        });
        expect(session.status).toBe(200);
        expect(((await session.json()) as { user: { role: string } }).user.role).toBe(role);
      }

      // An event of the live stream, applied to the store: the demo's line, then the API says so.
      const line = (await printed(/✓ \S+ (\S+)/))[1]!;
      const events = await fetch(`${url}/api/v1/events?status=applied&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
      const applied = ((await events.json()) as { events: Array<{ eventKind: string }> }).events;
      expect(applied.map((e) => e.eventKind)).toContain(line);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    expect(stdout).toContain('Stopping: the service finishes its requests, the sandbox stops');
    expect(stdout).toContain('Demo finished.');
    // serve (its own process group) has stopped too: its port no longer answers.
    const url = stdout.match(/Service: +(http:\/\/\S+)/)![1]!;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 240_000);
});
