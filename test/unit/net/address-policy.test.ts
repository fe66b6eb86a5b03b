import { describe, expect, it } from 'vitest';
import { checkTarget, isPublicAddress, MediaAllowlist } from '../../../src/net/address-policy.ts';

const none = MediaAllowlist.parse('');

describe('isPublicAddress', () => {
  const refused = [
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    'ff02::1',
    // IPv4-compatible ::/96: `http://[::127.0.0.1]/` is normalised to ::7f00:1.
    '::7f00:1',
    '::127.0.0.1',
    '::a00:1',
    '::a9fe:a9fe',
    // IPv4-translated ::ffff:0:0:0/96.
    '::ffff:0:7f00:1',
    // NAT64 well-known prefix with private or loopback IPv4 inside.
    '64:ff9b::a00:1',
    '64:ff9b::c0a8:101',
    // Local-use NAT64 (the embedding depends on the network's prefix length), and Teredo.
    '64:ff9b:1::808:808',
    '64:ff9b:1:ff::7f00:1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001::1',
    // 6to4 with private IPv4 inside.
    '2002:a00:1::1',
    '2002:c0a8:101::1',
  ];
  for (const address of refused) {
    it(`refuses ${address}`, () => expect(isPublicAddress(address)).toBe(false));
  }
  for (const address of [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ]) {
    it(`allows ${address}`, () => expect(isPublicAddress(address)).toBe(true));
  }
});

describe('checkTarget', () => {
  it('refuses schemes other than http and https', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/a.mp3',
      'javascript:alert(1)',
      'gopher://x',
    ]) {
      await expect(checkTarget(url, none)).rejects.toMatchObject({ code: 'INVALID_URL' });
    }
  });

  it('refuses loopback, private, link-local and metadata addresses given literally', async () => {
    for (const url of [
      'http://127.0.0.1:8080/a.mp3',
      'http://10.0.0.5/a.mp3',
      'http://192.168.0.10/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/a.mp3',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://100.64.1.1/',
    ]) {
      await expect(checkTarget(url, none), url).rejects.toMatchObject({ code: 'FORBIDDEN_ADDRESS' });
    }
  });

  it('refuses a host name that resolves to loopback', async () => {
    await expect(checkTarget('http://localhost:9/a.mp3', none)).rejects.toMatchObject({
      code: 'FORBIDDEN_ADDRESS',
    });
  });

  it('refuses links with credentials and bad URLs', async () => {
    await expect(checkTarget('http://user:pw@example.com/', none)).rejects.toMatchObject({
      code: 'INVALID_URL',
    });
    await expect(checkTarget('not a url', none)).rejects.toMatchObject({ code: 'INVALID_URL' });
  });

  it('lets allowlisted hosts, addresses and CIDR ranges through', async () => {
    const allow = MediaAllowlist.parse('localhost, 127.0.0.3, 10.8.0.0/16, ::1');
    expect((await checkTarget('http://localhost:9/', allow)).addresses.length).toBeGreaterThan(0);
    expect((await checkTarget('http://127.0.0.3/', allow)).addresses).toEqual([
      { address: '127.0.0.3', family: 4 },
    ]);
    await expect(checkTarget('http://10.8.200.1/', allow)).resolves.toBeTruthy();
    await expect(checkTarget('http://[::1]/', allow)).resolves.toBeTruthy();
    await expect(checkTarget('http://10.9.0.1/', allow)).rejects.toMatchObject({ code: 'FORBIDDEN_ADDRESS' });
    await expect(checkTarget('http://127.0.0.2/', allow)).rejects.toMatchObject({
      code: 'FORBIDDEN_ADDRESS',
    });
  });

  it('refuses the IPv4-compatible form of loopback given in a link', async () => {
    // new URL() turns [::127.0.0.1] into [::7f00:1], which used to pass as a public address.
    expect(new URL('http://[::127.0.0.1]/').hostname).toBe('[::7f00:1]');
    for (const url of ['http://[::127.0.0.1]/', 'http://[64:ff9b::127.0.0.1]/', 'http://[2002:7f00:1::]/']) {
      await expect(checkTarget(url, none), url).rejects.toMatchObject({ code: 'FORBIDDEN_ADDRESS' });
    }
  });

  it('lets an allowlisted host:port through on that port only', async () => {
    const allow = MediaAllowlist.parse('localhost:8000, 127.0.0.5:9000, [::1]:7000, 10.1.0.0/16');
    await expect(checkTarget('http://localhost:8000/a.mp3', allow)).resolves.toBeTruthy();
    await expect(checkTarget('http://127.0.0.5:9000/', allow)).resolves.toBeTruthy();
    await expect(checkTarget('http://[::1]:7000/', allow)).resolves.toBeTruthy();
    await expect(checkTarget('http://10.1.2.3:6379/', allow)).resolves.toBeTruthy();
    for (const url of [
      'http://localhost:6379/',
      'http://localhost/',
      'http://127.0.0.5:22/',
      'http://127.0.0.5/',
      'http://[::1]:7001/',
    ]) {
      await expect(checkTarget(url, allow), url).rejects.toMatchObject({ code: 'FORBIDDEN_ADDRESS' });
    }
    // The default port counts: an https link is port 443.
    const https = MediaAllowlist.parse('127.0.0.6:443');
    await expect(checkTarget('https://127.0.0.6/', https)).resolves.toBeTruthy();
    await expect(checkTarget('http://127.0.0.6/', https)).rejects.toMatchObject({
      code: 'FORBIDDEN_ADDRESS',
    });
  });

  it('refuses a malformed allowlist entry naming its position, never its text', () => {
    const message = (csv: string) => {
      try {
        MediaAllowlist.parse(csv);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected the allowlist to be refused');
    };
    expect(message('ok.lan, 10.0.0.0/99')).toBe('MEDIA_ALLOWLIST: entry 2 is not a valid CIDR range');
    expect(message('bad host!')).toMatch(/^MEDIA_ALLOWLIST: entry 1 is not a host name/);
    expect(message('bad host!')).not.toContain('bad host');
    expect(message('nas.lan:0')).toBe('MEDIA_ALLOWLIST: entry 1 has a port that is not 1-65535');
    expect(message('nas.lan:70000')).toMatch(/entry 1 has a port/);
  });
});
