import type { Config } from '../config/types.ts';
import type { Lang } from '../i18n/index.ts';
import type { DoctorOptions } from '../doctor/doctor.ts';
import type { Runtime } from './runtime.ts';
import type { DoctorResult } from './types/index.ts';

export interface DoctorInput {
  /** `--corp`: only this corp; else every configured corp (a config without CORP_ID included). */
  corpId?: string;
  lang: Lang;
  /** Tests: the environment the proxy settings come from, and the client's retry policy. */
  env?: DoctorOptions['env'];
  clientOptions?: DoctorOptions['clientOptions'];
  /** `--store`: only the store's checks (the whole hash chain included), no WeCom call. */
  store?: boolean;
  now?: number;
}

/**
 * Runs doctor's checks for each corp in scope, one corp after the other (each asks WeCom for fresh
 * tokens, and a 40001 repeated from one IP gets it banned: no parallel bursts), and renders them.
 * Open the runtime with `strict: false`: a config with errors is reported here, not refused.
 */
export async function runDoctorChecks(rt: Runtime, input: DoctorInput): Promise<DoctorResult> {
  const [{ runDoctor }, { renderReport }, { archiveDoctorChecks }, { coverageDoctorChecks }, { callbackChecks }, { storeChecks }] = await Promise.all([
    import('../doctor/doctor.ts'), import('../doctor/report.ts'), import('../archive/doctor-checks.ts'), import('../archive/coverage/index.ts'),
    import('../doctor/checks-callbacks.ts'), import('../archive/store-checks.ts'),
  ]);
  // WeCom checks a callback URL when an admin saves it: doctor makes the same signed round trip.
  const callbacks = (config: Config) => callbackChecks(config, { publicUrl: rt.deployment.server?.publicUrl });
  // The store is the deployment's: checked once, not per corp (plain doctor: its head only).
  const storeConfig = { dataDir: rt.deployment.dataDir, databaseUrl: rt.deployment.databaseUrl, backupMaxAgeDays: rt.deployment.corps[0]?.backupMaxAgeDays };
  const storeOnly = input.store ? await storeChecks(storeConfig, { full: true, now: input.now }) : undefined;
  if (storeOnly) {
    const ok = storeOnly.every((check) => check.status !== 'fail');
    const rendered = renderReport({ ok, checks: storeOnly, advice: [] }, input.lang);
    return { ok, corps: [rendered.corp], checks: rendered.checks };
  }
  const configs = input.corpId !== undefined ? rt.corps(input.corpId) : rt.deployment.corps;
  const result: DoctorResult = { ok: true, corps: [], checks: [] };
  for (const [i, config] of configs.entries()) {
    const report = await runDoctor(config, {
      env: input.env, clientOptions: input.clientOptions, extraChecks: [archiveDoctorChecks(), coverageDoctorChecks(), callbacks],
    });
    if (i === 0) {
      const store = await storeChecks(storeConfig, { full: false, now: input.now });
      report.checks.push(...store);
      report.ok &&= store.every((check) => check.status !== 'fail');
    }
    const rendered = renderReport(report, input.lang, config);
    result.corps.push(rendered.corp);
    result.checks.push(...rendered.checks);
    result.ok &&= report.ok;
  }
  return result;
}
