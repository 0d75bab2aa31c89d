/**
 * Which hosts the market agent may talk to on a requester's behalf. A job's input and
 * result URIs are chosen by strangers, so on a real network they must not point the
 * provider's machine at its own loopback, its LAN or a cloud metadata address (SSRF).
 * The local devnet's simulator serves on 127.0.0.1, so the default run allows private hosts.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HearthError } from '../../common/errors.ts';

/** Resolves a hostname to every address it has (dns.lookup semantics: hosts file included). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** IPv4 ranges that are not the public internet: [first octets as a 32-bit number, prefix]. */
const V4_BLOCKED: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast
];

function v4Number(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function v4Blocked(n: number): boolean {
  return V4_BLOCKED.some(([base, prefix]) => {
    const size = 2 ** (32 - prefix);
    const start = v4Number(base)!;
    return n >= start && n < start + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (embedded dotted IPv4 allowed), or undefined. */
function v6Groups(text: string): number[] | undefined {
  let s = text.replace(/%.*$/, ''); // zone id
  const tail: number[] = [];
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (dotted) {
    const n = v4Number(dotted[1]!);
    if (n === undefined) return undefined;
    tail.push(Math.floor(n / 65536), n % 65536);
    s = s.slice(0, -dotted[1]!.length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const known = head.length + rest.length + tail.length;
  if (head.some(Number.isNaN) || rest.some(Number.isNaN)) return undefined;
  if (halves.length === 1 && known !== 8) return undefined;
  if (known > 8) return undefined;
  return [...head, ...Array<number>(8 - known).fill(0), ...rest, ...tail];
}

function v6Blocked(g: number[]): boolean {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, i = 0] = g;
  const embedded = h * 65536 + i;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    // ::, ::1, IPv4-compatible ::a.b.c.d and IPv4-mapped ::ffff:a.b.c.d
    if (f === 0 && h === 0 && i <= 1) return true;
    if (f === 0 || f === 0xffff) return v4Blocked(embedded);
  }
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return v4Blocked(embedded); // NAT64
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  if ((a & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** True when an IP address (v4 or v6, brackets allowed) is loopback, private, link-local, CGNAT, multicast, unspecified or reserved. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const kind = isIP(bare.replace(/%.*$/, ''));
  if (kind === 4) return v4Blocked(v4Number(bare)!);
  if (kind === 6) {
    const groups = v6Groups(bare);
    return groups === undefined ? true : v6Blocked(groups);
  }
  return true; // not an address at all: refuse rather than guess
}

/**
 * Checks a URL's host against the policy; throws `input_host_refused` (or the code given)
 * for a private host, `input_unreachable` when the name does not resolve.
 *
 * Time-of-check/time-of-use: fetch resolves the name again after this check, so a name
 * whose DNS answer changes in between (DNS rebinding) could still reach a private address.
 * Closing that needs the connection pinned to the checked address (a custom dispatcher);
 * until then this stops the plain cases: literal private addresses and names that resolve
 * to them.
 */
export async function checkHost(
  url: URL,
  policy: { allowPrivateHosts: boolean; resolve?: HostResolver; refusedCode?: string; unreachableCode?: string },
): Promise<void> {
  if (policy.allowPrivateHosts) return;
  const refused = policy.refusedCode ?? 'input_host_refused';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refuse = (what: string): never => {
    throw new HearthError(refused, `Refused to contact ${url.host}: ${what} is not a public internet address.`);
  };
  if (isIP(host) !== 0) {
    if (isPrivateAddress(host)) refuse(host);
    return;
  }
  let addresses: string[];
  try {
    addresses = await (policy.resolve ?? systemResolver)(host);
  } catch (error) {
    throw new HearthError(policy.unreachableCode ?? 'input_unreachable', `Could not resolve ${host} (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  if (addresses.length === 0) throw new HearthError(policy.unreachableCode ?? 'input_unreachable', `${host} has no address.`);
  for (const a of addresses) if (isPrivateAddress(a)) refuse(`${host} (${a})`);
}
