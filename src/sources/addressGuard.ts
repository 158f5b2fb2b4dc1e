/**
 * Applies the address policy (src/core/sources/addressPolicy.ts) where the polite client connects:
 * a URL's literal address before connecting (node resolves no IP literal, so `lookup` never sees
 * it), every address a host name resolves to inside the `lookup` node connects with (so the address
 * checked is the address connected to: no second lookup a rebinding DNS server could answer
 * differently), and the socket's remote address once connected.
 */
import { lookup as systemLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { describeRefusal, type AddressPolicy } from '../core/sources/addressPolicy.js';

/** A connection the policy refused; its message is the line for the operator. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'EFORBIDDENADDRESS';
}

/** A URL hostname without the brackets of an IPv6 literal. */
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why a URL's host may not be connected to when it is an IP literal, or null (a name is checked when
 * it resolves). `hostname` is WHATWG-parsed, so `0x7f000001`, `2130706433` and `0177.0.0.1` arrive
 * here as `127.0.0.1`.
 */
export function literalHostRefusal(policy: AddressPolicy, hostname: string): string | null {
  const host = bare(hostname);
  if (isIP(host) === 0) return null;
  const refusal = policy.refusal(host);
  return refusal === null ? null : describeRefusal(refusal);
}

/** Why a connected socket's remote address is refused, or null. */
export function connectedAddressRefusal(
  policy: AddressPolicy,
  remoteAddress: string | undefined,
): string | null {
  if (remoteAddress === undefined) return null;
  const refusal = policy.refusal(remoteAddress);
  return refusal === null ? null : describeRefusal(refusal);
}

/**
 * A `lookup` for node's connect that resolves every address of the name (through `resolve`,
 * default the system's), refuses the name when any address is refused (a ForbiddenAddressError,
 * which node hands to the request's 'error'), and otherwise answers with exactly the checked
 * addresses, in the shape node asked for (one, or all with `all: true`).
 */
export function checkingLookup(
  policy: AddressPolicy,
  resolve: LookupFunction = systemLookup,
): LookupFunction {
  return (hostname, options, callback) => {
    const all: LookupAllOptions = { ...options, all: true };
    resolve(hostname, all, (error, resolved) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const addresses: LookupAddress[] = Array.isArray(resolved)
        ? resolved
        : [{ address: resolved, family: isIP(resolved) }];
      for (const { address } of addresses) {
        const refusal = policy.refusal(address);
        if (refusal !== null) {
          callback(new ForbiddenAddressError(describeRefusal(refusal, hostname)), '', 0);
          return;
        }
      }
      const first = addresses[0];
      if (first === undefined) {
        const none: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        none.code = 'ENOTFOUND';
        callback(none, '', 0);
      } else if (options.all === true) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
