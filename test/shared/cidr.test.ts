// Addresses and ranges: IPv4-mapped IPv6 is IPv4, per-address limits count IPv6 by /64, CIDR matching across families.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressKey, ipInCidrs, normalizeIp, parseCidr } from '../../src/shared/cidr.ts';

describe('normalizeIp', () => {
  const cases: Array<[string, string]> = [
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:203.0.113.9', '203.0.113.9'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['127.0.0.1', '127.0.0.1'],
  ];
  for (const [input, expected] of cases) test(`${input} -> ${expected}`, () => assert.equal(normalizeIp(input), expected));
});

describe('addressKey (what per-address limits count under)', () => {
  test('an IPv4 address is its own key', () => {
    assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
    assert.notEqual(addressKey('203.0.113.9'), addressKey('203.0.113.10'));
  });
  test('an IPv4-mapped address counts as the IPv4 address', () => {
    assert.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
  });
  test('every address of one IPv6 /64 shares a key, however it is written', () => {
    const keys = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:abcd::7'].map(addressKey);
    assert.deepEqual(new Set(keys), new Set(['2001:db8:1:2::/64']));
  });
  test('neighbouring /64s do not', () => {
    assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
  });
  test('::1 has its own key, apart from IPv4 loopback', () => {
    assert.equal(addressKey('::1'), '::/64');
    assert.notEqual(addressKey('::1'), addressKey('127.0.0.1'));
  });
  test('something that is not an address is passed through (and so never shares a key with a real one)', () => {
    assert.equal(addressKey('not:an:address'), 'not:an:address');
  });
});

describe('ipInCidrs', () => {
  const ranges = ['10.0.0.0/8', '2001:db8::/32', '::1'].map(parseCidr);
  test('matches within each family', () => {
    assert.equal(ipInCidrs('10.200.1.1', ranges), true);
    assert.equal(ipInCidrs('2001:db8:ffff::1', ranges), true);
    assert.equal(ipInCidrs('::1', ranges), true);
  });
  test('an IPv4-mapped address matches the IPv4 range', () => {
    assert.equal(ipInCidrs('::ffff:10.1.2.3', ranges), true);
  });
  test('no match across families or outside the ranges', () => {
    assert.equal(ipInCidrs('11.0.0.1', ranges), false);
    assert.equal(ipInCidrs('2001:db9::1', ranges), false);
    assert.equal(ipInCidrs('garbage', ranges), false);
  });
});
