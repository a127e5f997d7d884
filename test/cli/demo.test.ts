import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closingHint } from '../../scripts/demo-hint.ts';
import { loadConfig } from '../../src/config/load.ts';
import { sandboxConfig } from '../../src/doctor/sandbox.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * `npm run demo` leaves demo/wecom.env (the sandbox's --config-out, with no DATA_DIR) and the store in
 * demo/data, then stops the sandbox. What it prints last must work from where the user stands.
 */
describe('the demo config and its closing hint', () => {
  const root = '/work/repo';
  const input = { lang: 'en' as const, configFile: `${root}/demo/wecom.env`, bin: `${root}/bin/wecom-archive`, restart: 'wecom-archive sandbox --seed 7 --port 4567' };

  it('from the repo root the hint is relative; from elsewhere it is absolute', () => {
    const atRoot = closingHint({ ...input, cwd: root });
    expect(atRoot).toContain('bin/wecom-archive employees --config demo/wecom.env');
    expect(atRoot).toContain('bin/wecom-archive sandbox --seed 7 --port 4567');
    const elsewhere = closingHint({ ...input, cwd: '/tmp' });
    expect(elsewhere).toContain(`${root}/bin/wecom-archive employees --config ${root}/demo/wecom.env`);
    expect(closingHint({ ...input, cwd: `${root}/demo`, lang: 'zh' })).toContain(`${root}/bin/wecom-archive employees --config wecom.env`);
  });

  it('the config finds its store from any folder, and names its stopped sandbox', async () => {
    const base = mkdtempSync(join(tmpdir(), 'wa-demo-'));
    const demo = join(base, 'demo');
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    const sandbox = await startSandbox({ seed: 7, size: 'small', port: 0 });
    const file = join(demo, 'wecom.env');
    try {
      await sandbox.writeConfig(file);
      // As the demo runs its steps: from inside demo/.
      const sync = await runCli(['sync', 'directory', '--config', file], { cwd: demo });
      expect(sync.code, sync.stderr).toBe(0);
    } finally {
      await sandbox.close();
    }
    const config = await loadConfig({ configFile: file, env: {} });
    expect(config.dataDir).toBe(join(demo, 'data'));
    // As the hint says, from the folder above demo/ and from a sibling folder.
    for (const [cwd, path] of [[base, 'demo/wecom.env'], [elsewhere, '../demo/wecom.env']] as const) {
      const run = await runCli(['employees', '--limit', '3', '--json', '--config', path], { cwd });
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { employees: unknown[] }).employees).toHaveLength(3);
    }
    expect(sandboxConfig(config)?.command).toBe(`wecom-archive sandbox --seed 7 --port ${new URL(sandbox.url).port}`);
    const doctor = await runCli(['doctor', '--config', 'demo/wecom.env'], { cwd: base });
    expect(doctor.stdout).toContain('沙箱未运行');
    expect(doctor.stdout).toContain(`wecom-archive sandbox --seed 7 --port ${new URL(sandbox.url).port}`);
  }, 120_000);
});
