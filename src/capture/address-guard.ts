/**
 * The SSRF guard of web captures. A capture is a request the server makes for a user, so only
 * http(s) URLs are taken, and a host is reached only if EVERY address it resolves to is a public
 * unicast address: loopback, private, link-local, carrier-grade NAT, cloud metadata, multicast,
 * unspecified, broadcast and reserved ranges are refused (IPv4-mapped IPv6 is read as the IPv4 it
 * carries; NAT64, 6to4 and Teredo, which embed IPv4 addresses, are refused too), unless the
 * operator names the host or address in CAPTURE_ALLOW_HOSTS. The check runs before the first
 * request and again for every request the page makes (redirects and sub-resources alike, see
 * fetcher.ts), and the connection then goes to the very address that was checked.
 */
import dns from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Invalid } from '../errors';

export type Resolver = (host: string) => Promise<string[]>;

/** The system resolver, every address (A and AAAA). */
export const systemResolver: Resolver = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export const REFUSAL_RULES = ['scheme', 'credentials', 'unresolvable', 'loopback', 'private', 'link-local', 'cgnat', 'metadata', 'multicast', 'unspecified', 'reserved'] as const;
export type RefusalRule = (typeof REFUSAL_RULES)[number];

/** Cloud metadata services (AWS, GCP, Azure, OpenStack; AWS IPv6; Alibaba). */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);

const RULE_OF_RANGE: Record<string, RefusalRule> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'cgnat',
  multicast: 'multicast',
  unspecified: 'unspecified',
};

export interface Refusal {
  rule: RefusalRule;
  message: string;
  host?: string;
  address?: string;
}

/** The rule an address breaks, or null for a public unicast address. Never connects. */
export function addressRule(address: string): RefusalRule | null {
  if (!ipaddr.isValid(address)) return 'unresolvable';
  const parsed = ipaddr.process(address.replace(/^\[|\]$/g, '')); // ::ffff:a.b.c.d → a.b.c.d
  const normal = parsed.toNormalizedString();
  if (METADATA.has(normal) || METADATA.has(parsed.toString())) return 'metadata';
  const range = parsed.range();
  if (range === 'unicast') return null;
  return RULE_OF_RANGE[range] ?? 'reserved';
}

const DESCRIPTION: Record<RefusalRule, string> = {
  scheme: 'only http and https URLs can be captured',
  credentials: 'URLs with a user name or password are not captured',
  unresolvable: 'the host name does not resolve',
  loopback: 'a loopback address (this machine)',
  private: 'a private network address',
  'link-local': 'a link-local address',
  cgnat: 'a carrier-grade NAT address (100.64.0.0/10)',
  metadata: 'a cloud metadata service address',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  reserved: 'a reserved or special-purpose address',
};

export class AddressGuard {
  private readonly allowed: Set<string>;

  constructor(
    allowHosts: readonly string[] = [],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.allowed = new Set(allowHosts.map(normalHost).filter(Boolean));
  }

  /**
   * The addresses to connect to for `url`, or the refusal. Every address the host resolves to
   * must pass: a name that resolves to one public and one private address is refused.
   */
  async check(url: string | URL): Promise<{ ok: true; url: URL; host: string; addresses: string[] } | { ok: false; refusal: Refusal }> {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      return refuse('scheme', 'not a URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refuse('scheme', `${DESCRIPTION.scheme} (got ${parsed.protocol.replace(/:$/, '')})`);
    if (parsed.username || parsed.password) return refuse('credentials', DESCRIPTION.credentials);
    const host = normalHost(parsed.hostname);
    let addresses: string[];
    if (ipaddr.isValid(host)) {
      addresses = [host];
    } else {
      addresses = await this.resolve(host).catch(() => []);
      if (addresses.length === 0) return refuse('unresolvable', `${DESCRIPTION.unresolvable}: ${host}`, host);
    }
    if (this.allowed.has(host)) return { ok: true, url: parsed, host, addresses };
    for (const address of addresses) {
      if (this.allowed.has(normalHost(address))) continue;
      const rule = addressRule(address);
      if (rule) return refuse(rule, `refused: ${host} is ${rule === 'unresolvable' ? 'not an address' : DESCRIPTION[rule]}${address !== host ? ` (${address})` : ''}; captures reach only public addresses unless CAPTURE_ALLOW_HOSTS names the host`, host, address);
    }
    return { ok: true, url: parsed, host, addresses };
  }

  /** As check(), but a refusal is thrown as a 400 `capture_refused` naming the rule. */
  async require(url: string | URL): Promise<{ url: URL; host: string; addresses: string[] }> {
    const result = await this.check(url);
    if (!result.ok) throw refusalError(result.refusal);
    return result;
  }
}

export function refusalError(refusal: Refusal): Invalid {
  return new Invalid('capture_refused', refusal.message, { rule: refusal.rule, ...(refusal.host ? { host: refusal.host } : {}), ...(refusal.address ? { address: refusal.address } : {}) });
}

function refuse(rule: RefusalRule, message: string, host?: string, address?: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { rule, message, ...(host ? { host } : {}), ...(address ? { address } : {}) } };
}

function normalHost(host: string): string {
  const bare = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
}
