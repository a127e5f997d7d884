import { describe, expect, it } from 'vitest';
import { API_ERRCODES, ERRCODE } from '../../wecom/errcodes.ts';
import { errmsgFor, wecomAnswer } from './api-error.ts';

describe('sandbox errmsg', () => {
  it('starts with the catalogue errmsg of the code and ends with what WeCom appends', () => {
    const errmsg = errmsgFor(ERRCODE.IP_NOT_ALLOWED, undefined, '10.1.2.3', 'h1');
    expect(errmsg).toBe('not allow to access from your ip, hint: [h1], from ip: 10.1.2.3, more info at https://open.work.weixin.qq.com/devtool/query?e=60020');
  });

  it('answers every catalogued wording as is, with the detail after a comma', () => {
    for (const info of Object.values(API_ERRCODES).filter((i) => i.errmsg)) {
      expect(wecomAnswer(info.code, 'x')).toEqual({ errcode: info.code, errmsg: `${info.errmsg}, x` });
    }
  });
});
