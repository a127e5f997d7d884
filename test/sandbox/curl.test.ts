import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

/**
 * The users' own manual test (user-guide-wecom-app-permissions.md, "Their manual test"), exactly the
 * four curl calls with plain fetch, only the host changed.
 */
describe("the users' curl test", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 20, size: 'small', port: 0 });
  });
  afterAll(() => sandbox.close());

  it('passes against the sandbox unchanged but for the host', async () => {
    const base = `${sandbox.url}/cgi-bin`;
    const CORP_ID = sandbox.corpId;
    const APP_SECRET = sandbox.secrets.app;

    const tokenAnswer: any = await (await fetch(`${base}/gettoken?corpid=${CORP_ID}&corpsecret=${APP_SECRET}`)).json();
    const TOKEN: string = tokenAnswer.access_token;
    expect(TOKEN).toBeTruthy();
    expect(tokenAnswer).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });

    const departments: any = await (await fetch(`${base}/department/list?access_token=${TOKEN}`)).json();
    expect(departments).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(departments.department.length).toBe(15);

    const members: any = await (await fetch(`${base}/user/simplelist?access_token=${TOKEN}&department_id=1`)).json();
    expect(members).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(members.userlist.length).toBeGreaterThan(0);

    const someUserid: string = members.userlist[0].userid;
    const member: any = await (await fetch(`${base}/user/get?access_token=${TOKEN}&userid=${someUserid}`)).json();
    expect(member).toMatchObject({ errcode: 0, errmsg: 'ok', userid: someUserid, name: members.userlist[0].name });
    expect(member.department).toContain(1);
  });
});
