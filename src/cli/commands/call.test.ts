import { describe, expect, it } from 'vitest';
import { parseBody, parseParams } from './call.ts';

describe('call: parameter parsing', () => {
  it('key=value is a string; key:=json is a JSON value, 64-bit integers exact', () => {
    expect(parseParams(['userid=zhangsan', 'department_id=1', 'limit:=100', 'list:=["a","b"]', 'seq:=18446744073709551615', 'q=a=b'])).toEqual({
      userid: 'zhangsan', department_id: '1', limit: 100, list: ['a', 'b'], seq: 18446744073709551615n, q: 'a=b',
    });
  });

  it('an empty value is allowed; a missing = or bad JSON is a UserError', () => {
    expect(parseParams(['cursor='])).toEqual({ cursor: '' });
    expect(() => parseParams(['userid'])).toThrow(/key=value/);
    expect(() => parseParams(['limit:=abc'])).toThrow(/Not valid JSON/);
  });

  it('--body must be a JSON object', () => {
    expect(parseBody('{"userid_list":["a"],"limit":1}')).toEqual({ userid_list: ['a'], limit: 1 });
    expect(parseBody(undefined)).toEqual({});
    expect(() => parseBody('[1]')).toThrow(/JSON object/);
    expect(() => parseBody('{')).toThrow(/Not valid JSON/);
  });
});
