import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { UserError } from '../core/errors.ts';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** `MEDIA_ALLOWLIST`: exact host names, addresses and CIDR ranges let through the SSRF guard. */
export class MediaAllowlist {
  private readonly hosts = new Set<string>();
  private readonly ranges: [Address, number][] = [];

  /** @throws Error naming the entry that is neither a host name, an address nor a CIDR range */
  constructor(entries: string[]) {
    for (const raw of entries.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
      if (raw.includes('/')) {
        if (!ipaddr.isValidCIDR(raw)) throw new Error(`MEDIA_ALLOWLIST: "${raw}" is not a valid CIDR range`);
        this.ranges.push(ipaddr.parseCIDR(raw));
      } else if (ipaddr.isValid(raw.replace(/^\[|\]$/g, ''))) {
        const address = ipaddr.parse(raw.replace(/^\[|\]$/g, ''));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else if (/^[a-z0-9.-]+$/.test(raw)) {
        this.hosts.add(raw);
      } else {
        throw new Error(`MEDIA_ALLOWLIST: "${raw}" is not a host name, an address or a CIDR range`);
      }
    }
  }

  static parse(csv: string | undefined): MediaAllowlist {
    return new MediaAllowlist((csv ?? '').split(','));
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  allowsAddress(address: string): boolean {
    const parsed = unwrap(ipaddr.parse(address));
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }
}

/** IPv4 inside IPv6 forms (mapped, NAT64, 6to4) are judged as the IPv4 address they carry. */
function unwrap(address: Address): Address {
  if (address.kind() !== 'ipv6') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const range = v6.range();
  const parts = v6.parts;
  if (range === 'rfc6052') {
    return ipaddr.fromByteArray([
      parts[6]! >> 8,
      parts[6]! & 0xff,
      parts[7]! >> 8,
      parts[7]! & 0xff,
    ]) as ipaddr.IPv4;
  }
  if (range === '6to4') {
    return ipaddr.fromByteArray([
      parts[1]! >> 8,
      parts[1]! & 0xff,
      parts[2]! >> 8,
      parts[2]! & 0xff,
    ]) as ipaddr.IPv4;
  }
  return v6;
}

/**
 * Only public unicast addresses may be fetched: loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), CGNAT 100.64/10,
 * unspecified, broadcast, multicast and reserved ranges are refused, also inside IPv6 forms.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = unwrap(ipaddr.parse(address));
  return parsed.range() === 'unicast';
}

export interface CheckedTarget {
  url: URL;
  /** The addresses that were checked; connect to one of these, never resolve again. */
  addresses: { address: string; family: 4 | 6 }[];
}

/**
 * Checks a URL a user gave: http(s) only, and every address its host resolves to must be public or
 * allowlisted. Resolve once here and connect to what was checked (no DNS rebinding in between).
 * @throws UserError INVALID_URL, FORBIDDEN_ADDRESS
 */
export async function checkTarget(input: string | URL, allowlist: MediaAllowlist): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UserError('INVALID_URL', 'That is not a valid link.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError('INVALID_URL', 'Only http:// and https:// links can be played.');
  }
  if (url.username || url.password)
    throw new UserError('INVALID_URL', 'Links with a user name or password are not accepted.');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: { address: string; family: 4 | 6 }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => ({
        address: a.address,
        family: a.family as 4 | 6,
      }));
    } catch {
      throw new UserError('INVALID_URL', `The host ${host} could not be found.`);
    }
  }
  if (addresses.length === 0) throw new UserError('INVALID_URL', `The host ${host} has no address.`);
  const hostAllowed = allowlist.allowsHost(host);
  for (const { address } of addresses) {
    if (!hostAllowed && !isPublicAddress(address) && !allowlist.allowsAddress(address)) {
      throw new UserError(
        'FORBIDDEN_ADDRESS',
        'That link points to a private or local address, which is not allowed.',
        {
          host,
        },
      );
    }
  }
  return { url, addresses };
}
