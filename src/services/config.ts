import { effectiveValues } from '../config/display.ts';
import { describeProblem } from '../config/load.ts';
import type { Lang } from '../i18n/index.ts';
import type { Runtime } from './runtime.ts';
import type { ConfigReport } from './types/index.ts';

export interface ConfigShowInput {
  /** `--corp`: only this corp; else every configured file (one without CORP_ID included). */
  corpId?: string;
  lang: Lang;
}

/**
 * The effective configuration of each corp in scope, redacted. Open the runtime with
 * `strict: false`: a config with errors is what this is for, so it is shown, not refused.
 */
export async function showConfig(rt: Runtime, input: ConfigShowInput): Promise<ConfigReport> {
  const configs = input.corpId !== undefined ? rt.corps(input.corpId) : rt.deployment.corps;
  return {
    ok: true,
    corps: configs.map((config) => ({
      corpId: config.corpId ?? null,
      file: config.file ?? null,
      values: effectiveValues(config),
      problems: config.problems.map((p) => ({ severity: p.severity, key: p.key ?? null, message: describeProblem(p, input.lang) })),
    })),
    truncated: false,
  };
}
