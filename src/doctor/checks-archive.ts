import type { WecomClient } from '../wecom/client.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import type { CheckResult } from './report.ts';
import { probe, type Diagnosis } from './probe.ts';

const NOT_ARCHIVE_SECRET: Diagnosis = (err) => err.errcode === ERRCODE.API_FORBIDDEN ? {
  message: {
    zh: 'CHAT_ARCHIVE_SECRET 不是「会话内容存档」的 Secret',
    en: 'CHAT_ARCHIVE_SECRET is not the chat-archive secret',
  },
  fix: {
    zh: '在 管理工具 → 会话内容存档 复制 Secret 填到 CHAT_ARCHIVE_SECRET（自建应用的 Secret 不能调用存档接口）',
    en: "Copy the Secret from Management Tools → Chat Archive into CHAT_ARCHIVE_SECRET (an app's secret cannot call the archive APIs)",
  },
} : undefined;

/** The archive's HTTP side: who is archived. The SDK and keys are checked by the archive module. */
export async function archiveHttpChecks(client: WecomClient): Promise<CheckResult[]> {
  const permit = await probe(
    { id: 'archive.permit_users', credential: 'archive', title: { zh: '会话存档：开启存档的成员', en: 'Chat archive: archived members' } },
    () => client.call('msgaudit.getPermitUserList', {}, { credential: 'archive' }),
    (res) => (res.ids?.length ? {
      message: { zh: '{count} 名成员开启了会话存档', en: '{count} members are archived' }, vars: { count: res.ids.length },
    } : {
      status: 'warn',
      message: { zh: '没有成员开启会话存档', en: 'No member is archived' },
      fix: { zh: '在 管理工具 → 会话内容存档 → 设置存档范围 中加入成员（需购买存档席位）', en: 'Add members under Management Tools → Chat Archive → archive scope (needs archive licences)' },
    }),
    NOT_ARCHIVE_SECRET,
  );
  return [permit.check];
}
