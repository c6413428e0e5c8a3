/**
 * Which addresses the verifier's outbound fetches may connect to (DESIGN §2 "Outbound fetches"): public unicast
 * only. `ipaddr.js` reads every notation (decimal `2130706433`, octal `0177.0.0.1`, hex, short `127.1`, IPv6 forms)
 * and `process()` turns an IPv4-mapped IPv6 address into the IPv4 one it maps, so `::ffff:10.0.0.1` is judged as
 * `10.0.0.1`. Anything `range()` does not call 'unicast' — loopback, private, link-local, CGNAT, multicast,
 * broadcast, ULA, reserved and documentation ranges, unspecified, NAT64 / 6to4 / Teredo (which embed IPv4
 * addresses) — is refused, as is anything that is not an address at all.
 */
import ipaddr from 'ipaddr.js';

/** An address a socket would connect to, with the port (tests admit one loopback server by its port). */
export interface ConnectTarget {
  address: string;
  port: number;
}

export type AddressPolicy = (target: ConnectTarget) => boolean;

export const isPublicUnicast = (address: string): boolean => {
  if (!ipaddr.isValid(address)) return false;
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
};

/** The production policy: public unicast addresses, any port. */
export const publicAddressesOnly: AddressPolicy = ({ address }) => isPublicUnicast(address);
