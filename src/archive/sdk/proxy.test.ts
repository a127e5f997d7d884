import { describe, expect, it } from 'vitest';
import { sdkProxyArguments } from './proxy.ts';

describe('sdkProxyArguments', () => {
  it('splits the credentials out of the proxy URL', () => {
    expect(sdkProxyArguments(undefined)).toEqual({ proxy: '', proxyPassword: '' });
    expect(sdkProxyArguments('http://10.0.0.1:8081')).toEqual({ proxy: 'http://10.0.0.1:8081', proxyPassword: '' });
    expect(sdkProxyArguments('socks5://u%40x:p%3Aw@proxy.local:1080')).toEqual({ proxy: 'socks5://proxy.local:1080', proxyPassword: 'u@x:p:w' });
  });
});
