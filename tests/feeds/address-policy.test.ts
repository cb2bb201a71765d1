import { describe, expect, it } from 'vitest';
import { blockedAddressReason, createAddressAllowlist, parseIPv6, refusalReason } from '../../src/feeds/address-policy.js';

describe('blockedAddressReason', () => {
  const blocked: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified ("this network")'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'private (unique local)'],
    ['fd12:3456::1', 'private (unique local)'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['not-an-ip', 'not an IP address'],
    ['256.1.1.1', 'not an IP address'],
    ['1:2:3:4:5:6:7:8:9', 'not an IP address'],
  ];
  it.each(blocked)('refuses %s as %s', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  const allowed = ['93.184.215.14', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '169.253.255.255', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'];
  it.each(allowed)('allows the public address %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });
});

describe('parseIPv6', () => {
  it('expands :: and embedded dotted quads', () => {
    expect(parseIPv6('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(parseIPv6('1::')).toBe(1n << 112n);
    expect(parseIPv6('1:::2')).toBeUndefined();
    expect(parseIPv6('12345::')).toBeUndefined();
  });
});

describe('refusalReason with an allowlist', () => {
  it('lets an allowlisted address through and nothing near it', () => {
    const allowlist = createAddressAllowlist(['127.0.0.1']);
    expect(refusalReason('127.0.0.1', '127.0.0.1', allowlist)).toBeUndefined();
    expect(refusalReason('127.0.0.1', '::ffff:127.0.0.1', allowlist)).toBeUndefined();
    expect(refusalReason('127.0.0.2', '127.0.0.2', allowlist)).toMatch(/^refused: 127\.0\.0\.2 is loopback/);
    expect(refusalReason('::1', '::1', allowlist)).toMatch(/loopback/);
  });

  it('accepts CIDR ranges, IPv6 and host names', () => {
    const allowlist = createAddressAllowlist(['10.0.0.0/8', '::1', 'feeds.intranet']);
    expect(refusalReason('a', '10.200.0.1', allowlist)).toBeUndefined();
    expect(refusalReason('a', '::1', allowlist)).toBeUndefined();
    expect(refusalReason('feeds.intranet', '192.168.0.9', allowlist)).toBeUndefined();
    expect(refusalReason('other.intranet', '192.168.0.9', allowlist)).toMatch(/\(other\.intranet\) is private/);
  });

  it('never needs the allowlist for a public address', () => {
    expect(refusalReason('example.org', '93.184.215.14', createAddressAllowlist([]))).toBeUndefined();
  });

  it('rejects allowlist entries it cannot understand', () => {
    expect(() => createAddressAllowlist(['10.0.0.0/33'])).toThrow(/invalid allowlist entry/);
    expect(() => createAddressAllowlist(['http://x'])).toThrow(/invalid allowlist entry/);
  });
});
