import { readFileSync } from 'node:fs';
import type { Config } from '../config/types.ts';
import type { Text } from '../i18n/index.ts';
import { loopbackBase, WecomTransportError } from '../wecom/errors.ts';

/**
 * Configs for the local sandbox (`wecom-archive sandbox --config-out`, `npm run demo`): when their
 * WeCom does not answer, the sandbox has stopped, and the fix is the exact command that starts the
 * same company again. The sandbox's file opens with a marker line naming its seed and size; the
 * seed decides the corp id and every secret, so the same seed makes the config work again.
 */

export interface SandboxConfig {
  /** The API base on this machine, e.g. http://127.0.0.1:8090. */
  base: string;
  /** `wecom-archive sandbox …` that starts it again as the config expects. */
  command: string;
  /** False when the file has no marker: the seed is then unknown and the command leaves it out. */
  marked: boolean;
}

/** The sandbox's --config-out marker: "# wecom-archive sandbox: … (seed 7, size small)". */
const MARKER = /^# wecom-archive sandbox:.*\(seed (\d+), size (\w+)\)/m;
/** A WeCom corp id as the sandbox makes them (real ones share the shape, so it only counts on this machine). */
const CORP_ID_SHAPE = /^ww[0-9a-f]{16}$/;

export function sandboxConfig(config: Pick<Config, 'apiBase' | 'file' | 'corpId'>): SandboxConfig | undefined {
  const local = loopbackBase(config.apiBase);
  if (!local) return undefined;
  const marker = config.file ? markerOf(config.file) : undefined;
  if (!marker && !CORP_ID_SHAPE.test(config.corpId ?? '')) return undefined;
  const host = new URL(local.base).hostname;
  const args = [
    ...(marker ? ['--seed', marker.seed] : []),
    ...(marker && marker.size !== 'small' ? ['--size', marker.size] : []),
    '--port', local.port,
    ...(host === '127.0.0.1' ? [] : ['--host', host.replace(/^\[|\]$/g, '')]),
  ];
  return { base: local.base, command: `wecom-archive sandbox ${args.join(' ')}`, marked: Boolean(marker) };
}

function markerOf(file: string): { seed: string; size: string } | undefined {
  try {
    const match = MARKER.exec(readFileSync(file, 'utf8').slice(0, 2000));
    return match ? { seed: match[1]!, size: match[2]! } : undefined;
  } catch {
    return undefined;
  }
}

const NOT_RUNNING: Text = {
  zh: '沙箱未运行（{url}：连接被拒绝）',
  en: 'The sandbox is not running ({url}: connection refused)',
};
const START_AGAIN: Text = {
  zh: '运行 `{command}` 重新启动（另开一个终端，保持运行）',
  en: 'Run `{command}` to start it again (in another terminal, and leave it running)',
};
const START_AGAIN_UNMARKED: Text = {
  zh: '运行 `{command} --seed <种子>` 重新启动（使用写出该配置时的种子）',
  en: 'Run `{command} --seed <seed>` to start it again (with the seed the config was written with)',
};

/**
 * A refused connection to a sandbox config's WeCom, explained as "the sandbox is not running" with
 * the command that starts it; any other error is returned unchanged (same class and code).
 */
export function explainUnreachable(err: unknown, configs: ReadonlyArray<Pick<Config, 'apiBase' | 'file' | 'corpId'>>): unknown {
  if (!(err instanceof WecomTransportError) || err.failure !== 'refused') return err;
  const origin = loopbackBase(err.url)?.base;
  for (const config of configs) {
    const sandbox = sandboxConfig(config);
    if (!sandbox || sandbox.base !== origin) continue;
    return err.withAdvice({
      what: NOT_RUNNING,
      fix: sandbox.marked ? START_AGAIN : START_AGAIN_UNMARKED,
      vars: { base: sandbox.base, command: sandbox.command },
    });
  }
  return err;
}
