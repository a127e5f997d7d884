import type { Command } from 'commander';
import { resolve } from 'node:path';
import { generateArchiveKey } from '../../../archive/keys/keygen.ts';
import { t, type Text } from '../../../i18n/index.ts';
import { UserError } from '../../../util/errors.ts';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';

const DONE: Text = {
  zh: `✔ 已生成会话存档密钥对（RSA-2048），版本 {version}
  私钥：{path}
  （权限 600。请备份到安全的地方：丢失后，用该版本公钥加密的消息将无法解密。）

下一步：
1. 在配置文件中加入一行：
     {configLine}
2. 打开企业微信管理后台：管理工具 → 会话内容存档 → 消息加密公钥 → 设置/更新 公钥，
   粘贴下面的公钥（包括 BEGIN/END 两行）并保存。
   每更新一次公钥，后台显示的版本号加 1。请确认后台显示的版本号是 {version}；
   如果不是，把配置项名中的 {version} 改成后台显示的版本号。
3. 保留旧版本私钥的配置：更新前的消息仍然使用旧版本公钥加密。

`,
  en: `✔ Generated a chat-archive key pair (RSA-2048), version {version}
  Private key: {path}
  (Mode 600. Back it up somewhere safe: without it, messages encrypted under this version's public key cannot be decrypted.)

Next:
1. Add this line to your config file:
     {configLine}
2. In the WeCom admin console open 管理工具 (Management Tools) → 会话内容存档 (Chat Archive) →
   消息加密公钥 (message encryption public key) → 设置/更新 公钥 (set/update), paste the public key
   below (including the BEGIN/END lines) and save.
   Each update increments the version the console shows. Check that it shows {version};
   if not, change {version} in the config key's name to the version the console shows.
3. Keep the configs of older private keys: messages from before the update stay encrypted under the older keys.

`,
};

export function registerArchiveKeygen(archive: Command): void {
  archive
    .command('keygen')
    .description('make a new RSA-2048 key pair for one corp\'s chat archive and show where to upload the public key')
    .option('--data-dir <dir>', 'store the private key under <dir>/keys (default: DATA_DIR)')
    .option('--ver <n>', 'store it as this publickey_ver (default: one more than any configured or stored)')
    .action(action(async (ctx, opts: { dataDir?: string; ver?: string }) => {
      // Lenient: a config with problems (even a missing key file) must not stop making a new key.
      const rt = await ctx.runtime({ strict: false });
      // The corp the key is for: --corp, or the only file (which may not name its CORP_ID yet).
      const config = ctx.corp === undefined && rt.deployment.corps.length === 1 ? rt.deployment.corps[0]! : rt.corp(ctx.corp);
      const key = await generateArchiveKey({
        dataDir: opts.dataDir ? resolve(opts.dataDir) : rt.deployment.dataDir,
        corpId: config.corpId,
        configuredVersions: Object.keys(config.archivePrivateKeys).map(Number),
        version: opts.ver === undefined ? undefined : parseVersion(opts.ver),
      });
      if (ctx.json) {
        printJson({ ok: true, corpId: config.corpId ?? null, ...key });
        return 0;
      }
      const vars = { version: key.version, path: key.privateKeyPath, configLine: key.configLine };
      process.stdout.write(`${t(DONE, ctx.lang, vars)}${key.publicKeyPem}`);
      return 0;
    }));
}

function parseVersion(text: string): number {
  if (/^[1-9]\d{0,8}$/.test(text)) return Number(text);
  throw new UserError('archive_keygen_bad_version', {
    what: { zh: '--ver 必须是正整数：{value}', en: '--ver must be a positive integer: {value}' },
    vars: { value: text },
  });
}
