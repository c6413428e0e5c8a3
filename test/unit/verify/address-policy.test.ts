import { describe, expect, it } from 'vitest';
import { isPublicUnicast, publicAddressesOnly } from '#adapters/key-resolution/address-policy';

describe('the address policy of outbound fetches (public unicast only)', () => {
  it.each([
    // loopback, in every notation
    '127.0.0.1',
    '127.255.255.254',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '0x7f.0.0.1',
    '127.1',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:7f00:1',
    // cloud metadata and link-local
    '169.254.169.254',
    '2852039166',
    '0xa9fea9fe',
    '::ffff:169.254.169.254',
    'fe80::1',
    'fe80::1%eth0',
    'fd00:ec2::254',
    // private (RFC 1918), CGNAT, unspecified, broadcast, multicast
    '10.0.0.1',
    '167772161',
    '012.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '::ffff:10.0.0.1',
    '::ffff:192.168.0.1',
    '100.64.0.1',
    '100.127.255.254',
    '0.0.0.0',
    '0',
    '::',
    '255.255.255.255',
    '224.0.0.1',
    '239.255.255.250',
    'ff02::1',
    'ff05::2',
    // IPv6 unique-local, documentation / reserved / benchmarking, and the forms that embed an IPv4 address
    'fc00::1',
    'fd12:3456:789a::1',
    '2001:db8::1',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '198.18.0.1',
    '240.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '::ffff:0:127.0.0.1',
    // not an address at all
    '',
    'localhost',
    'example.com',
    '1.2.3.4.5',
    '::ffff:999.0.0.1',
    '127.0.0.1 ',
    '[::1]',
  ])('refuses %j', (address) => {
    // Act
    const allowed = isPublicUnicast(address);

    // Assess
    expect(allowed).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '151.101.1.69', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8'])(
    'admits the public %s',
    (address) => {
      // Act
      const allowed = publicAddressesOnly({ address, port: 443 });

      // Assess
      expect(allowed).toBe(true);
    },
  );
});
