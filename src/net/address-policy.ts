import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { UserError } from '../core/errors.ts';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One `MEDIA_ALLOWLIST` entry; `port` null: every port. */
interface HostEntry {
  host: string;
  port: number | null;
}
interface RangeEntry {
  range: [Address, number];
  port: number | null;
}

/**
 * `MEDIA_ALLOWLIST`: host names, addresses and CIDR ranges let through the SSRF guard, each on every
 * port or, written `host:port` (`[v6]:port` for an IPv6 address), on that port alone, so that letting a
 * LAN media server through does not open every other service on that machine.
 */
export class MediaAllowlist {
  private readonly hosts: HostEntry[] = [];
  private readonly ranges: RangeEntry[] = [];

  /** @throws Error naming the position of an entry that is neither a host, an address nor a range */
  constructor(entries: string[]) {
    entries
      .map((e) => e.trim().toLowerCase())
      .forEach((raw, index) => {
        if (!raw) return;
        // The position, never the entry itself: config errors do not print values.
        const bad = (rule: string) => new Error(`MEDIA_ALLOWLIST: entry ${index + 1} ${rule}`);
        const { target, port } = splitPort(raw, bad);
        if (target.includes('/')) {
          if (!ipaddr.isValidCIDR(target)) throw bad('is not a valid CIDR range');
          this.ranges.push({ range: ipaddr.parseCIDR(target), port });
        } else if (ipaddr.isValid(target)) {
          const address = ipaddr.parse(target);
          this.ranges.push({ range: [address, address.kind() === 'ipv4' ? 32 : 128], port });
        } else if (/^[a-z0-9.-]+$/.test(target)) {
          this.hosts.push({ host: target, port });
        } else {
          throw bad('is not a host name, an address or a CIDR range (optionally with :port)');
        }
      });
  }

  static parse(csv: string | undefined): MediaAllowlist {
    return new MediaAllowlist((csv ?? '').split(','));
  }

  /** Whether the host name is listed for `port`. */
  allowsHost(host: string, port: number): boolean {
    const name = host.toLowerCase();
    return this.hosts.some((e) => e.host === name && portMatches(e.port, port));
  }

  /** Whether the address is in a listed address or range, for `port`. */
  allowsAddress(address: string, port: number): boolean {
    const parsed = ipaddr.parse(address);
    const judged = embeddedIPv4(parsed) ?? parsed;
    return this.ranges.some(
      ({ range: [range, bits], port: p }) =>
        portMatches(p, port) &&
        [parsed, judged].some((a) => a.kind() === range.kind() && a.match(range, bits)),
    );
  }
}

function portMatches(entry: number | null, port: number): boolean {
  return entry === null || entry === port;
}

/** `host:port`, `[v6]:port`, `[v6]`, a bare v6 address (several colons) or a host alone. */
function splitPort(raw: string, bad: (rule: string) => Error): { target: string; port: number | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(raw);
  if (bracketed) return { target: bracketed[1]!, port: portOf(bracketed[2], bad) };
  const colons = raw.split(':').length - 1;
  if (colons !== 1) return { target: raw, port: null };
  const at = raw.lastIndexOf(':');
  return { target: raw.slice(0, at), port: portOf(raw.slice(at + 1), bad) };
}

function portOf(text: string | undefined, bad: (rule: string) => Error): number | null {
  if (text === undefined) return null;
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) throw bad('has a port that is not 1-65535');
  return port;
}

const v4 = (high: number, low: number) =>
  ipaddr.fromByteArray([high >> 8, high & 0xff, low >> 8, low & 0xff]) as ipaddr.IPv4;

/**
 * The IPv4 address an IPv6 form carries, or undefined when it carries none:
 * IPv4-mapped `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, IPv4-compatible `::/96` (what
 * `http://[::127.0.0.1]/` becomes: `::7f00:1`), NAT64 `64:ff9b::/96` and 6to4 `2002::/16`.
 */
function embeddedIPv4(address: Address): ipaddr.IPv4 | undefined {
  if (address.kind() !== 'ipv6') return undefined;
  const p = (address as ipaddr.IPv6).parts;
  const zeros = (n: number) => p.slice(0, n).every((x) => x === 0);
  if (zeros(5) && p[5] === 0xffff) return v4(p[6]!, p[7]!); // mapped
  if (zeros(4) && p[4] === 0xffff && p[5] === 0) return v4(p[6]!, p[7]!); // translated
  if (zeros(6)) return v4(p[6]!, p[7]!); // compatible (:: and ::1 become 0.0.0.0 and 0.0.0.1)
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0)) return v4(p[6]!, p[7]!); // NAT64 well-known prefix
  if (p[0] === 0x2002) return v4(p[1]!, p[2]!); // 6to4
  return undefined;
}

/**
 * Only public unicast addresses may be fetched: loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10), CGNAT 100.64/10,
 * unspecified, broadcast, multicast and reserved ranges are refused. An IPv6 form that carries an IPv4
 * address (mapped, translated, compatible, NAT64 64:ff9b::/96, 6to4) is judged by that address; the
 * forms whose embedded address cannot be known from the address alone are refused: Teredo
 * (2001::/32, whose server and client are both encoded) and local-use NAT64 (64:ff9b:1::/48, whose
 * prefix length is the network's choice).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  const inner = embeddedIPv4(parsed);
  if (inner) return inner.range() === 'unicast';
  if (parsed.kind() === 'ipv6') {
    const p = (parsed as ipaddr.IPv6).parts;
    if (p[0] === 0x64 && p[1] === 0xff9b) return false; // 64:ff9b:1::/48 and the rest of 64:ff9b::/32
    if (p[0] === 0x2001 && p[1] === 0) return false; // Teredo
  }
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
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const hostAllowed = allowlist.allowsHost(host, port);
  for (const { address } of addresses) {
    if (!hostAllowed && !isPublicAddress(address) && !allowlist.allowsAddress(address, port)) {
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
