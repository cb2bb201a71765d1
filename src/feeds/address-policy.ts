// Which network addresses a feed may make us connect to (the SSRF guard), as pure functions over
// address strings. Feeds are public: loopback, private, link-local, CGNAT, cloud metadata and
// other special-purpose ranges are refused unless the operator allowlists them.

type Family = 4 | 6;

interface ParsedAddress {
  family: Family;
  /** The address as an integer: 32 bits for IPv4, 128 for IPv6. */
  value: bigint;
}

interface Range {
  family: Family;
  base: bigint;
  prefix: number;
  reason: string;
}

export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

export function parseIPv6(input: string): bigint | undefined {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) return undefined;
  // A trailing dotted quad ("::ffff:10.0.0.1") stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

export function parseAddress(text: string): ParsedAddress | undefined {
  const v4 = parseIPv4(text.trim());
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

export function isIpAddress(text: string): boolean {
  return parseAddress(text) !== undefined;
}

function range(cidr: string, reason: string): Range {
  const [address = '', prefixText = ''] = cidr.split('/');
  const parsed = parseAddress(address);
  if (!parsed) throw new Error(`bad range ${cidr}`);
  return { family: parsed.family, base: parsed.value, prefix: Number(prefixText), reason };
}

function inRange(address: ParsedAddress, candidate: Range): boolean {
  if (address.family !== candidate.family) return false;
  const bits = BigInt(address.family === 4 ? 32 : 128);
  const shift = bits - BigInt(candidate.prefix);
  return address.value >> shift === candidate.base >> shift;
}

// Cloud metadata first, so the reason names it rather than the wider range it sits in.
const BLOCKED_RANGES: Range[] = [
  range('169.254.169.254/32', 'cloud metadata'),
  range('169.254.170.2/32', 'cloud metadata'),
  range('100.100.100.200/32', 'cloud metadata'),
  range('fd00:ec2::254/128', 'cloud metadata'),
  range('0.0.0.0/8', 'unspecified ("this network")'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', '6to4 relay anycast'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('64:ff9b:1::/48', 'local NAT64'),
  range('100::/64', 'discard-only'),
  range('2001:db8::/32', 'documentation'),
  range('2001:2::/48', 'benchmarking'),
  range('fc00::/7', 'private (unique local)'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

/** IPv6 forms that carry an IPv4 address: the IPv4 address is what gets reached. */
function embeddedIPv4(address: ParsedAddress): bigint | undefined {
  if (address.family !== 6) return undefined;
  const v = address.value;
  if (v >> 32n === 0xffffn) return v & 0xffffffffn; // ::ffff:a.b.c.d (IPv4-mapped)
  if (v >> 32n === 0n && v > 1n) return v & 0xffffffffn; // ::a.b.c.d (IPv4-compatible, deprecated)
  if (v >> 32n === 0x64ff9b0000000000000000n) return v & 0xffffffffn; // 64:ff9b::a.b.c.d (NAT64)
  if (v >> 112n === 0x2002n) return (v >> 80n) & 0xffffffffn; // 2002:aabb:ccdd::/48 (6to4)
  return undefined;
}

/** The IPv4 address behind an IPv4-mapped (or similar) IPv6 address, else the address itself. */
function canonical(address: ParsedAddress): ParsedAddress {
  const v4 = embeddedIPv4(address);
  return v4 === undefined ? address : { family: 4, value: v4 };
}

/**
 * Why connecting to this address is refused ("loopback", "private", …), or undefined when it is a
 * public address. Anything that does not parse as an IP address is refused too.
 */
export function blockedAddressReason(address: string): string | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return 'not an IP address';
  const target = canonical(parsed);
  return BLOCKED_RANGES.find((candidate) => inRange(target, candidate))?.reason;
}

/** An operator's allowlist: IP addresses, CIDR ranges and host names that may be private. */
export interface AddressAllowlist {
  allowsHost(hostname: string): boolean;
  allowsAddress(address: string): boolean;
}

function normaliseHostname(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

export function createAddressAllowlist(entries: readonly string[]): AddressAllowlist {
  const ranges: Range[] = [];
  const hostnames = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = '', prefixText] = entry.split('/');
    const parsed = parseAddress(address);
    if (parsed) {
      const target = canonical(parsed);
      const full = target.family === 4 ? 32 : 128;
      let prefix = prefixText === undefined ? full : Number(prefixText);
      // A mapped range like ::ffff:10.0.0.0/104 becomes 10.0.0.0/8.
      if (target.family !== parsed.family && prefixText !== undefined) prefix -= 96;
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > full) throw new Error(`invalid allowlist entry "${entry}"`);
      ranges.push({ family: target.family, base: target.value, prefix, reason: 'allowlisted' });
    } else if (prefixText === undefined && /^[a-z0-9.-]+$/i.test(entry)) {
      hostnames.add(normaliseHostname(entry));
    } else {
      throw new Error(`invalid allowlist entry "${entry}"`);
    }
  }
  return {
    allowsHost: (hostname) => hostnames.has(normaliseHostname(hostname)),
    allowsAddress: (address) => {
      const parsed = parseAddress(address);
      if (!parsed) return false;
      const target = canonical(parsed);
      return ranges.some((candidate) => inRange(target, candidate));
    },
  };
}

/**
 * The verdict for connecting to `address` on behalf of `hostname`: undefined when allowed,
 * else a one-line reason.
 */
export function refusalReason(hostname: string, address: string, allowlist: AddressAllowlist): string | undefined {
  const reason = blockedAddressReason(address);
  if (!reason) return undefined;
  if (allowlist.allowsHost(hostname) || allowlist.allowsAddress(address)) return undefined;
  const shownHost = normaliseHostname(hostname);
  const via = shownHost === normaliseHostname(address) ? '' : ` (${shownHost})`;
  return `refused: ${address}${via} is ${reason}, not a public address (allowPrivateHosts can permit it)`;
}
