import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.ts';
import type { SandboxExtensionFactory } from '../../src/sandbox/extension.ts';
import { clientFor, fetchJson, type TestClient } from './helpers.ts';

/** Chat-archive APIs answered from the company, and extensions that take them over. */
describe('sandbox msgaudit and extensions', () => {
  let api: TestClient;
  beforeAll(async () => {
    api = clientFor(await startSandbox({ seed: 81 }));
  });
  afterAll(() => api.sandbox.close());

  it('answers the archive APIs from the company', async () => {
    const { company } = api.sandbox;
    const members = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e));
    const permitted = await api.post('msgaudit/get_permit_user_list', {}, 'archive');
    expect(permitted.ids).toEqual(members.filter((m) => m.archiveLicense > 0).map((m) => m.userid));
    const service = await api.post('msgaudit/get_permit_user_list', { type: 2 }, 'archive');
    expect(service.ids).toEqual(members.filter((m) => m.archiveLicense === 2).map((m) => m.userid));

    const pairs = [0, 1, 2].map((c) => ({ userid: company.employee(company.followersOf(c)[0]).userid, exteranalopenid: company.customer(c).external_userid }));
    const agree = await api.post('msgaudit/check_single_agree', { info: pairs }, 'archive');
    expect(agree.agreeinfo).toEqual(pairs.map((p, c) => ({
      ...p,
      status_change_time: company.consent(company.followersOf(c)[0], c).changedAt,
      agree_status: company.consent(company.followersOf(c)[0], c).agree ? 'Agree' : 'Disagree',
    })).map(({ userid, exteranalopenid, status_change_time, agree_status }) => ({ status_change_time, userid, exteranalopenid, agree_status })));
    const tooMany = Array.from({ length: 101 }, () => pairs[0]);
    expect((await api.post('msgaudit/check_single_agree', { info: tooMany }, 'archive')).errcode).toBe(301060);

    const group = company.group(0);
    const room = await api.post('msgaudit/check_room_agree', { roomid: group.chat_id }, 'archive');
    expect(room.agreeinfo.map((a: { exteranalopenid: string }) => a.exteranalopenid)).toEqual(group.memberCustomerIds);

    const internal = company.internalGroup(0);
    const detail = await api.post('msgaudit/groupchat/get', { roomid: internal.roomid }, 'archive');
    expect(detail).toMatchObject({ errcode: 0, roomname: internal.name, creator: internal.creatorUserid, room_create_time: internal.createTime });
    expect(detail.members.map((m: { memberid: string }) => m.memberid)).toEqual(internal.memberUserids);
    expect((await api.post('msgaudit/groupchat/get', { roomid: group.chat_id }, 'archive')).errcode).toBe(301059);

    const robot = company.robot(0);
    const info = await api.get('msgaudit/get_robot_info', { robot_id: robot.robot_id }, 'archive');
    expect(info.data).toEqual({ robot_id: robot.robot_id, name: robot.name, creator_userid: robot.creatorUserid });
  });

  it('lets the app call archive APIs only when granted', async () => {
    expect((await api.post('msgaudit/get_permit_user_list', {}, 'app')).errcode).toBe(48002);
    api.sandbox.rules.appArchiveAllowed = true;
    try {
      expect((await api.post('msgaudit/get_permit_user_list', {}, 'app')).errcode).toBe(0);
    } finally {
      api.sandbox.rules.appArchiveAllowed = false;
    }
  });

  it('routes endpoints, raw routes, summary and config lines to extensions', async () => {
    const seen: Array<{ credential: string; params: unknown }> = [];
    const extension: SandboxExtensionFactory = (ctx) => ({
      name: 'test-archive',
      endpoints: {
        'msgaudit.getPermitUserList': (params, credential) => {
          seen.push({ credential, params });
          return { ids: [ctx.company.employee(0).userid] };
        },
        'msgaudit.getRobotInfo': () => ({ errcode: 40058, errmsg: 'robot gone' }),
      },
      routes: [{ method: 'POST', path: '/__finance/echo', handle: (_req, res, body) => void res.end(`echo:${body.toString()}`) }],
      summary: () => ({ messages: 1234 }),
      configLines: (dir) => [`FINANCE_SDK_PATH=${join(dir, 'libstub.so')}`],
    });
    const sandbox = await startSandbox({ seed: 82, extensions: [extension] });
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-ext-'));
    try {
      const client = clientFor(sandbox);
      const permitted = await client.post('msgaudit/get_permit_user_list', { type: 1 }, 'archive');
      expect(permitted).toEqual({ errcode: 0, errmsg: 'ok', ids: [sandbox.company.employee(0).userid] });
      expect(seen).toEqual([{ credential: 'archive', params: { type: 1 } }]);
      // The rules still apply before an extension is asked.
      expect((await client.post('msgaudit/get_permit_user_list', {}, 'app')).errcode).toBe(48002);
      expect((await client.get('msgaudit/get_robot_info', { robot_id: 'wb1' }, 'archive')).errcode).toBe(40058);
      const echo = await fetch(`${sandbox.url}/__finance/echo`, { method: 'POST', body: 'hi' });
      expect(await echo.text()).toBe('echo:hi');
      expect((await fetchJson(`${sandbox.url}/__sandbox/summary`)).messages).toBe(1234);
      await sandbox.writeConfig(join(dir, 'wecom.env'));
      expect(await readFile(join(dir, 'wecom.env'), 'utf8')).toContain(`FINANCE_SDK_PATH=${join(dir, 'libstub.so')}`);
    } finally {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
