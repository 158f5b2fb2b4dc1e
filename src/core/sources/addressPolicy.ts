/**
 * Which network addresses the fetcher may connect to. By default only public unicast addresses:
 * a feed that links to `http://169.254.169.254/…` or `http://10.0.0.5/admin` must not make the bot
 * read (and then show on Discord) what answers there. The operator may allow networks
 * (FETCH_ALLOW_NETWORKS), e.g. an internal feed server. The ranges come from ipaddr.js's tables;
 * the few it names by a broader word ("reserved") are told apart here for the message. Pure.
 */
import ipaddr from 'ipaddr.js';
import { err, ok, type Result } from '../errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Network = readonly [Address, number];

/** Why an address is refused, in words for the operator ("loopback", "private", …). */
export interface AddressRefusal {
  /** The address as connected to (or as the URL names it). */
  readonly address: string;
  /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::/96) one, if any. */
  readonly embedded: string | null;
  readonly kind: string;
}

/** The addresses the fetcher may connect to: public ones, and the operator's allowed networks. */
export interface AddressPolicy {
  /** The allowed networks, normalised (`10.20.0.0/16`). */
  readonly allowedNetworks: readonly string[];
  /** Null when `address` (an IP address, no brackets) may be connected to; else why not. */
  refusal(address: string): AddressRefusal | null;
}

/** The words used for ipaddr.js's range names (any other non-unicast name is "special-purpose"). */
const KIND_OF_RANGE: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  private: 'private',
  uniqueLocal: 'private (unique local)',
  deprecatedSiteLocal: 'site-local',
  benchmarking: 'benchmarking',
  teredo: 'Teredo tunnel',
  '6to4': '6to4 tunnel',
  rfc6052: 'NAT64',
  discard: 'discard-only',
  reserved: 'reserved',
};

/** Ranges inside ipaddr.js's "reserved" that deserve their own word. */
const NAMED_RESERVED: readonly { readonly kind: string; readonly cidrs: readonly string[] }[] = [
  {
    kind: 'documentation',
    cidrs: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20'],
  },
  { kind: 'benchmarking', cidrs: ['198.18.0.0/15'] },
];
const NAMED_RESERVED_NETWORKS = NAMED_RESERVED.map(({ kind, cidrs }) => ({
  kind,
  networks: cidrs.map((cidr) => ipaddr.parseCIDR(cidr)),
}));

/** IPv6 ranges that carry an IPv4 address in their last 32 bits, reached as that address. */
const EMBEDS_IPV4 = new Set(['ipv4Mapped', 'rfc6145']);
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
/** All of IPv6 that is allocated for global unicast today; anything outside is not a web server. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const matches = (address: Address, [network, bits]: Network) =>
  address.kind() === network.kind() && address.match(network, bits);

/** The kind of a non-public IPv4 address, or null for a public one. */
function ipv4Kind(address: ipaddr.IPv4): string | null {
  const range = address.range();
  if (range === 'unicast') return null;
  if (range === 'reserved') {
    const named = NAMED_RESERVED_NETWORKS.find((r) => r.networks.some((n) => matches(address, n)));
    if (named) return named.kind;
  }
  return KIND_OF_RANGE[range] ?? `special-purpose (${range})`;
}

/** The kind of a non-public IPv6 address (not one embedding IPv4), or null for a public one. */
function ipv6Kind(address: ipaddr.IPv6): string | null {
  const range = address.range();
  if (range === 'unicast') return matches(address, GLOBAL_UNICAST_V6) ? null : 'reserved';
  if (range === 'reserved') {
    const named = NAMED_RESERVED_NETWORKS.find((r) => r.networks.some((n) => matches(address, n)));
    if (named) return named.kind;
  }
  return KIND_OF_RANGE[range] ?? `special-purpose (${range})`;
}

/** The IPv4 address an IPv6 one stands for (IPv4-mapped, SIIT, well-known NAT64 prefix), or null. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (!EMBEDS_IPV4.has(address.range()) && !matches(address, NAT64_WELL_KNOWN)) return null;
  return new ipaddr.IPv4(address.toByteArray().slice(12));
}

/**
 * Parses FETCH_ALLOW_NETWORKS: CIDR ranges separated by commas (`10.20.0.0/16,127.0.0.1/32,fd00::/8`),
 * IPv4 in dotted decimal only. Returns them normalised, or one problem per bad entry.
 */
export function parseAllowedNetworks(text: string): Result<readonly string[], readonly string[]> {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const networks: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = parseNetwork(entry);
    if (parsed.ok) networks.push(parsed.value);
    else problems.push(parsed.error);
  }
  return problems.length > 0 ? err(problems) : ok(networks);
}

function parseNetwork(entry: string): Result<string> {
  const [address = '', bits, extra] = entry.split('/');
  if (bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits))
    return err(
      `"${entry}" is not a CIDR range: write an address and a prefix length, such as 10.20.0.0/16 or 127.0.0.1/32`,
    );
  const isV4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  if (!isV4 && !ipaddr.IPv6.isValid(address))
    return err(`"${entry}": ${address} is not an IPv4 address in dotted decimal or an IPv6 address`);
  const max = isV4 ? 32 : 128;
  if (Number(bits) > max) return err(`"${entry}": the prefix length must be 0 to ${max}`);
  const network = isV4
    ? ipaddr.IPv4.networkAddressFromCIDR(entry)
    : ipaddr.IPv6.networkAddressFromCIDR(entry);
  const normalised = `${network.toString()}/${Number(bits)}`;
  if (ipaddr.parse(address).toString() !== network.toString())
    return err(`"${entry}" has bits set past its prefix length: did you mean ${normalised}?`);
  return ok(normalised);
}

/**
 * The policy for `allowedNetworks` (normalised CIDR ranges, see {@link parseAllowedNetworks}; an
 * invalid one throws, since the config has validated them). With none, only public addresses pass.
 */
export function createAddressPolicy(allowedNetworks: readonly string[] = []): AddressPolicy {
  const allowed = allowedNetworks.map((cidr) => ipaddr.parseCIDR(cidr));
  const isAllowed = (address: Address) => allowed.some((network) => matches(address, network));
  return {
    allowedNetworks: [...allowedNetworks],
    refusal(text: string): AddressRefusal | null {
      if (!ipaddr.isValid(text)) return { address: text, embedded: null, kind: 'unreadable' };
      const address = ipaddr.parse(text);
      if (isAllowed(address)) return null;
      if (address.kind() === 'ipv4') {
        const kind = ipv4Kind(address as ipaddr.IPv4);
        return kind === null ? null : { address: text, embedded: null, kind };
      }
      const v4 = embeddedIpv4(address as ipaddr.IPv6);
      if (v4 === null) {
        const kind = ipv6Kind(address as ipaddr.IPv6);
        return kind === null ? null : { address: text, embedded: null, kind };
      }
      // Reached as the IPv4 address inside: judged (and allowed) as that address.
      if (isAllowed(v4)) return null;
      const kind = ipv4Kind(v4);
      return kind === null ? null : { address: text, embedded: v4.toString(), kind };
    },
  };
}

/**
 * One line for the operator: `127.0.0.2 is a loopback address; not fetched (FETCH_ALLOW_NETWORKS
 * allows exceptions)`, or with the host name that resolved to it.
 */
export function describeRefusal(refusal: AddressRefusal, hostName?: string): string {
  const shown = refusal.embedded === null ? refusal.address : `${refusal.address} (IPv4 ${refusal.embedded})`;
  const what = `${/^[aeiou]/i.test(refusal.kind) ? 'an' : 'a'} ${refusal.kind} address`;
  const subject =
    hostName === undefined ? `${shown} is ${what}` : `${hostName} resolves to ${shown}, ${what}`;
  return `${subject}; not fetched (FETCH_ALLOW_NETWORKS allows exceptions)`;
}
