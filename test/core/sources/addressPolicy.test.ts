import { describe, expect, it } from 'vitest';
import {
  createAddressPolicy,
  describeRefusal,
  parseAllowedNetworks,
} from '../../../src/core/sources/addressPolicy.js';

const byDefault = createAddressPolicy();

describe('addressPolicy', () => {
  describe('createAddressPolicy().refusal (no allowed networks)', () => {
    it.each([
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['::1', 'loopback'],
      ['10.0.0.5', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['fc00::1', 'private (unique local)'],
      ['fd12:3456::1', 'private (unique local)'],
      ['169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fe80::1%eth0', 'link-local'],
      ['100.64.0.1', 'carrier-grade NAT (100.64.0.0/10)'],
      ['100.127.255.254', 'carrier-grade NAT (100.64.0.0/10)'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['::', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['192.0.2.10', 'documentation'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.200', 'documentation'],
      ['2001:db8::1', 'documentation'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['2001:2::1', 'benchmarking'],
      ['240.0.0.1', 'reserved'],
      ['192.0.0.8', 'reserved'],
      ['::7f00:1', 'reserved'], // IPv4-compatible (deprecated), outside 2000::/3
      ['2002:7f00:1::1', '6to4 tunnel'],
      ['2001::1', 'Teredo tunnel'],
      ['64:ff9b:1::a00:1', 'NAT64'], // local-use NAT64 prefix: the IPv4 inside is not fixed
      ['fec0::1', 'site-local'],
    ])('refuses %s as %s', (address, kind) => {
      expect(byDefault.refusal(address)).toEqual({ address, embedded: null, kind });
    });

    it.each([
      ['::ffff:127.0.0.2', '127.0.0.2', 'loopback'],
      ['::ffff:7f00:2', '127.0.0.2', 'loopback'],
      ['::ffff:169.254.169.254', '169.254.169.254', 'link-local'],
      ['::ffff:0:10.0.0.5', '10.0.0.5', 'private'], // SIIT (RFC 6145)
      ['64:ff9b::10.0.0.5', '10.0.0.5', 'private'], // NAT64 well-known prefix
      ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'link-local'],
    ])('judges %s by the IPv4 address inside (%s, %s)', (address, embedded, kind) => {
      expect(byDefault.refusal(address)).toEqual({ address, embedded, kind });
    });

    it.each([
      '93.184.216.34',
      '8.8.8.8',
      '1.1.1.1',
      '2606:4700:4700::1111',
      '::ffff:93.184.216.34',
      '64:ff9b::808:808',
    ])('lets the public address %s through', (address) => {
      expect(byDefault.refusal(address)).toBeNull();
    });

    it('refuses what is not an IP address', () => {
      expect(byDefault.refusal('localhost')).toEqual({
        address: 'localhost',
        embedded: null,
        kind: 'unreadable',
      });
    });
  });

  describe('createAddressPolicy(allowedNetworks)', () => {
    it('lets exactly the allowed networks through, IPv4-mapped forms of them included', () => {
      const policy = createAddressPolicy(['10.20.0.0/16', '127.0.0.1/32', 'fd00:1::/32']);
      expect(policy.refusal('10.20.3.4')).toBeNull();
      expect(policy.refusal('127.0.0.1')).toBeNull();
      expect(policy.refusal('::ffff:127.0.0.1')).toBeNull();
      expect(policy.refusal('fd00:1::5')).toBeNull();
      expect(policy.refusal('10.21.0.1')?.kind).toBe('private');
      expect(policy.refusal('127.0.0.2')?.kind).toBe('loopback');
      expect(policy.refusal('::1')?.kind).toBe('loopback');
      expect(policy.refusal('fd00:2::5')?.kind).toBe('private (unique local)');
      expect(policy.allowedNetworks).toEqual(['10.20.0.0/16', '127.0.0.1/32', 'fd00:1::/32']);
    });
  });

  describe('describeRefusal', () => {
    it('names the address, its kind and the way out', () => {
      expect(describeRefusal(byDefault.refusal('127.0.0.2')!)).toBe(
        '127.0.0.2 is a loopback address; not fetched (FETCH_ALLOW_NETWORKS allows exceptions)',
      );
      expect(describeRefusal(byDefault.refusal('::ffff:7f00:2')!)).toBe(
        '::ffff:7f00:2 (IPv4 127.0.0.2) is a loopback address; not fetched (FETCH_ALLOW_NETWORKS allows exceptions)',
      );
      expect(describeRefusal(byDefault.refusal('169.254.169.254')!, 'metadata.internal')).toBe(
        'metadata.internal resolves to 169.254.169.254, a link-local address; not fetched (FETCH_ALLOW_NETWORKS allows exceptions)',
      );
      expect(describeRefusal(byDefault.refusal('240.0.0.1')!)).toMatch(
        /^240\.0\.0\.1 is a reserved address;/,
      );
    });
  });

  describe('parseAllowedNetworks', () => {
    it('normalises each range and ignores empty entries', () => {
      expect(parseAllowedNetworks('10.20.0.0/16,, 127.0.0.1/32 ,::1/128,FD00::/8')).toEqual({
        ok: true,
        value: ['10.20.0.0/16', '127.0.0.1/32', '::1/128', 'fd00::/8'],
      });
      expect(parseAllowedNetworks('')).toEqual({ ok: true, value: [] });
    });

    it('refuses other spellings of IPv4, which would hide what is allowed', () => {
      const parsed = parseAllowedNetworks('0177.0.0.1/32,2130706433/32');
      expect(parsed.ok).toBe(false);
    });
  });
});
