/**
 * Which direct peers are trusted proxies, from the chassis `trustProxy` key (the same string
 * Fastify uses for `request.ip`): `loopback`, `linklocal`, `uniquelocal`, IPs and CIDRs,
 * comma-separated. Only such a peer may hand us an `x-request-id`.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const NAMED: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

export type PeerTrust = (address: string | undefined) => boolean;

export function compilePeerTrust(trustProxy: string): PeerTrust {
  const entries = trustProxy
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED[entry];
    if (named) {
      for (const [net, bits, family] of named) list.addSubnet(net, bits, family);
      continue;
    }
    const [address, bits] = entry.split('/');
    const family = isIPv4(address ?? '') ? 'ipv4' : isIPv6(address ?? '') ? 'ipv6' : undefined;
    if (!address || !family) throw new TypeError(`invalid trustProxy entry: ${entry}`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return (address) => {
    if (!address) return false;
    const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
    if (isIPv4(v4)) return list.check(v4, 'ipv4');
    return isIPv6(address) && list.check(address, 'ipv6');
  };
}
