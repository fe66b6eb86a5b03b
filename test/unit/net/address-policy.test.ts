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
  ];
  for (const address of refused) {
    it(`refuses ${address}`, () => expect(isPublicAddress(address)).toBe(false));
  }
  for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
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

  it('refuses a malformed allowlist entry with a message naming it', () => {
    expect(() => MediaAllowlist.parse('10.0.0.0/99')).toThrow(/10.0.0.0\/99/);
    expect(() => MediaAllowlist.parse('bad host!')).toThrow(/bad host!/);
  });
});
