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
}

/**
 * Runs doctor's checks for each corp in scope, one corp after the other (each asks WeCom for fresh
 * tokens, and a 40001 repeated from one IP gets it banned: no parallel bursts), and renders them.
 * Open the runtime with `strict: false`: a config with errors is reported here, not refused.
 */
export async function runDoctorChecks(rt: Runtime, input: DoctorInput): Promise<DoctorResult> {
  const [{ runDoctor }, { renderReport }, { archiveDoctorChecks }, { coverageDoctorChecks }, { callbackChecks }] = await Promise.all([
    import('../doctor/doctor.ts'), import('../doctor/report.ts'), import('../archive/doctor-checks.ts'), import('../archive/coverage/index.ts'),
    import('../doctor/checks-callbacks.ts'),
  ]);
  // WeCom checks a callback URL when an admin saves it: doctor makes the same signed round trip.
  const callbacks = (config: Config) => callbackChecks(config, { publicUrl: rt.deployment.server?.publicUrl });
  const configs = input.corpId !== undefined ? rt.corps(input.corpId) : rt.deployment.corps;
  const result: DoctorResult = { ok: true, corps: [], checks: [] };
  for (const config of configs) {
    const report = await runDoctor(config, {
      env: input.env, clientOptions: input.clientOptions, extraChecks: [archiveDoctorChecks(), coverageDoctorChecks(), callbacks],
    });
    const rendered = renderReport(report, input.lang, config);
    result.corps.push(rendered.corp);
    result.checks.push(...rendered.checks);
    result.ok &&= report.ok;
  }
  return result;
}
