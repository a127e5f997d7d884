import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { callbackKeys } from '../config/keys.ts';
import type { CallbackKind } from '../wecom/callback/events.ts';
import { DEFAULT_API_BASE } from '../wecom/endpoints.ts';
import type { SandboxExtension } from './extension.ts';

/**
 * `--config-out`: a config file in the users' own format (KEY=VALUE lines, `#` comments; see
 * user-guide-wecom-app-permissions.md "Their configuration file") with working secrets for every app
 * kind, so the product runs against the sandbox unchanged. Mode 0600, as any file holding secrets.
 */
export interface ConfigOutInput {
  seed: number;
  size: string;
  corpId: string;
  agentId: number;
  url: string;
  secrets: { app: string; contacts: string; customer: string; archive: string };
  /** Token and EncodingAESKey per callback URL (the sandbox signs and encrypts with them). */
  callbackSecrets?: Record<CallbackKind, { token: string; encodingAesKey: string }>;
  extensions: SandboxExtension[];
  writtenAt: Date;
}

export async function renderConfig(input: ConfigOutInput, configDir: string): Promise<string> {
  const lines = [
    `# wecom-archive sandbox: a local WeCom with a generated company (seed ${input.seed}, size ${input.size}).`,
    `# These secrets work only against this sandbox. Written ${input.writtenAt.toISOString()}.`,
    '# 企业ID (corp id), shared by all apps',
    `CORP_ID=${input.corpId}`,
    '# 自建应用 (self-built app): directory within its visible scope; customers if in 「可调用应用」',
    `APP_SECRET=${input.secrets.app}`,
    `APP_AGENT_ID=${input.agentId}`,
    '# 客户联系 secret: customer contact APIs',
    `CUSTOMER_SECRET=${input.secrets.customer}`,
    '# 通讯录同步 secret: user/list_id and department/simplelist only (48009 on detail reads)',
    `CONTACTS_SECRET=${input.secrets.contacts}`,
    '# 会话内容存档 secret: chat archive APIs',
    `CHAT_ARCHIVE_SECRET=${input.secrets.archive}`,
    `# The sandbox instead of ${DEFAULT_API_BASE}`,
    `WECOM_API_BASE=${input.url}`,
  ];
  if (input.callbackSecrets) {
    lines.push('# 回调 (callbacks): the Token and EncodingAESKey the sandbox signs and encrypts each kind with');
    for (const [kind, pair] of Object.entries(input.callbackSecrets) as Array<[CallbackKind, { token: string; encodingAesKey: string }]>) {
      const keys = callbackKeys(kind);
      lines.push(`${keys.token}=${pair.token}`, `${keys.aesKey}=${pair.encodingAesKey}`);
    }
  }
  for (const extension of input.extensions) {
    const extra = extension.configLines ? await extension.configLines(configDir, input.corpId) : [];
    if (extra.length > 0) lines.push(`# from the sandbox extension "${extension.name}"`, ...extra);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeConfigFile(file: string, input: ConfigOutInput): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const text = await renderConfig(input, dir);
  // Written beside the target with 0600 from the start and renamed, so the secrets are never readable by others.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}
