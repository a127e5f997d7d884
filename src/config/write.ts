import { existsSync, writeFileSync, chmodSync } from 'node:fs';
import { UserError } from '../util/errors.ts';
import { keyRank, keySpec, type ConfigKey } from './keys.ts';
import { formatEnvLine } from './parse.ts';

/**
 * Writes a config file in the users' format, mode 0600 (it holds secrets). Keys keep the catalogue's
 * order and each gets its description as a trailing comment, like the users' own file.
 */
export function writeConfigFile(
  file: string,
  values: Partial<Record<ConfigKey, string>>,
  options: { force?: boolean; header?: string; lang?: 'zh' | 'en' } = {},
): void {
  if (existsSync(file) && !options.force) {
    throw new UserError('config_exists', {
      what: { zh: '{file} 已存在，未覆盖', en: '{file} already exists and was not overwritten' },
      fix: { zh: '换一个 --output 路径，或加 --force 覆盖', en: 'Choose another --output path, or add --force to overwrite' },
      vars: { file },
    });
  }
  const lang = options.lang ?? 'zh';
  const ordered = (Object.keys(values) as ConfigKey[]).sort((a, b) => keyRank(a) - keyRank(b) || a.localeCompare(b));
  const lines = [`# ${options.header ?? 'wecom-archive configuration'}`];
  for (const key of ordered) lines.push(formatEnvLine(key, values[key] ?? '', keySpec(key)?.doc[lang]));
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

