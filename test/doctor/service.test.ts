import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeployment } from '../../src/config/deployment.ts';
import { formatDoctor } from '../../src/doctor/report.ts';
import { runDoctorChecks } from '../../src/services/doctor.ts';
import { runtimeOf } from '../../src/services/runtime.ts';
import type { DoctorResult } from '../../src/services/types/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';

/** Two corps in one deployment: a folder holding one sandbox config each (DATA_DIR beside them). */
let sandboxes: Sandbox[];
let folder: string;
beforeAll(async () => {
  sandboxes = await Promise.all([startSandbox({ seed: 31, size: 'small' }), startSandbox({ seed: 32, size: 'small' })]);
  folder = mkdtempSync(join(tmpdir(), 'wa-doctor-corps-'));
  await Promise.all(sandboxes.map((s, k) => s.writeConfig(join(folder, `corp-${k}.env`))));
});
afterAll(async () => { await Promise.all(sandboxes.map((s) => s.close())); });

async function doctor(corpId?: string): Promise<DoctorResult> {
  const rt = runtimeOf(await loadDeployment({ configPaths: [folder], env: {}, strict: false }));
  try {
    return await runDoctorChecks(rt, { corpId, lang: 'en', clientOptions: { retryPolicy: 'test' } });
  } finally {
    await rt.close();
  }
}

describe('doctor as a service, several corps', () => {
  it('checks every configured corp, each row carrying its corp, with a report per corp', async () => {
    const result = await doctor();
    const ids = sandboxes.map((s) => s.corpId).sort();
    expect(result.corps.map((c) => c.corpId)).toEqual(ids);
    for (const corp of result.corps) {
      const own = result.checks.filter((c) => c.corpId === corp.corpId);
      expect(own.find((c) => c.id === 'app.token')).toMatchObject({ status: 'pass', title: 'Self-built app: fetch access_token' });
      expect(corp.counts.pass).toBe(own.filter((c) => c.status === 'pass').length);
      expect(corp.file).toMatch(/corp-\d\.env$/);
      expect(corp.advice.join()).toContain('set-up B');
    }
    expect(result.checks.every((c) => ids.includes(c.corpId!))).toBe(true);
    expect(result.ok).toBe(result.corps.every((c) => c.ok));

    const text = formatDoctor(result, 'en');
    for (const id of ids) expect(text).toContain(`Corp ${id} (`);
    expect(text).toMatch(/2 corps: \d+ with failures$/);
    for (const s of sandboxes) for (const secret of Object.values(s.secrets)) expect(text + JSON.stringify(result)).not.toContain(secret);
  });

  it('--corp narrows to one corp, whose report has no corp heading', async () => {
    const one = sandboxes[1]!.corpId;
    const result = await doctor(one);
    expect(result.corps.map((c) => c.corpId)).toEqual([one]);
    expect(new Set(result.checks.map((c) => c.corpId))).toEqual(new Set([one]));
    expect(formatDoctor(result, 'en')).not.toContain(`Corp ${one}`);
  });

  it('the CLI prints one JSON object with the per-corp report and every check', async () => {
    const run = await runCli(['doctor', '--config', folder, '--json']);
    const out = JSON.parse(run.stdout) as DoctorResult;
    expect(out.corps).toHaveLength(2);
    expect(run.code).toBe(out.ok ? 0 : 1);
    expect(Object.keys(out.checks[0]!)).toEqual(['corpId', 'id', 'credential', 'status', 'errcode', 'title', 'message', 'fix']);
    // Chinese by default, in JSON too.
    expect(out.checks.find((c) => c.id === 'app.token')?.title).toBe('自建应用：获取 access_token');
  }, 120_000);
});
