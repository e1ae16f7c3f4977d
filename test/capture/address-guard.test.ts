/**
 * The SSRF guard alone: private, special and metadata ranges are refused through an injected
 * resolver and the address check, without connecting anywhere.
 */
import { AddressGuard, addressRule, type Resolver } from '../../src/capture/address-guard';

const resolverOf = (table: Record<string, string[]>): Resolver => async (host) => table[host] ?? [];

describe('addressRule', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a00:1', 'reserved'],
    ['2002:a00:1::1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('%s → %s', (address, rule) => {
    expect(addressRule(address)).toBe(rule);
  });

  it.each(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '172.32.0.1', '100.128.0.1', '11.0.0.1'])('%s is public', (address) => {
    expect(addressRule(address)).toBeNull();
  });
});

describe('AddressGuard', () => {
  const resolver = resolverOf({
    'intranet.example': ['10.0.0.5'],
    'mixed.example': ['93.184.215.14', '192.168.0.7'],
    'public.example': ['93.184.215.14'],
    'metadata.example': ['169.254.169.254'],
    'mapped.example': ['::ffff:172.20.1.1'],
  });

  it('refuses other schemes and credentials before resolving anything', async () => {
    let lookups = 0;
    const guard = new AddressGuard([], async () => {
      lookups += 1;
      return ['93.184.215.14'];
    });
    for (const [url, rule] of [['file:///etc/passwd', 'scheme'], ['ftp://public.example/', 'scheme'], ['gopher://public.example/', 'scheme'], ['http://user:pw@public.example/', 'credentials'], ['not a url', 'scheme']]) {
      const result = await guard.check(url!);
      expect(result.ok ? null : result.refusal.rule).toBe(rule);
    }
    expect(lookups).toBe(0);
  });

  it.each([
    ['http://intranet.example/', 'private', '10.0.0.5'],
    ['https://mixed.example/', 'private', '192.168.0.7'],
    ['http://metadata.example/latest/meta-data/', 'metadata', '169.254.169.254'],
    ['http://mapped.example/', 'private', '::ffff:172.20.1.1'],
    ['http://[::ffff:7f00:1]/', 'loopback', '127.0.0.1'],
    ['http://0x7f000001/', 'loopback', '127.0.0.1'],
    ['http://10.0.0.1:8080/', 'private', '10.0.0.1'],
    ['http://nowhere.example/', 'unresolvable', undefined],
  ])('refuses %s (%s) after resolution', async (url, rule, address) => {
    const result = await new AddressGuard([], resolver).check(url);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal.rule).toBe(rule);
      if (address) expect(result.refusal.address).toBe(address);
    }
  });

  it('passes a public host and gives the checked addresses to connect to', async () => {
    const result = await new AddressGuard([], resolver).check('https://public.example/statement');
    expect(result).toMatchObject({ ok: true, host: 'public.example', addresses: ['93.184.215.14'] });
  });

  it('lets through only what CAPTURE_ALLOW_HOSTS names, by host or by address', async () => {
    const guard = new AddressGuard(['intranet.example', '127.0.0.1'], resolver);
    expect((await guard.check('http://intranet.example/')).ok).toBe(true);
    expect((await guard.check('http://127.0.0.1:8080/')).ok).toBe(true);
    const other = await guard.check('http://127.0.0.2:8080/');
    expect(other.ok ? null : other.refusal.rule).toBe('loopback');
    const mixed = await guard.check('http://mixed.example/');
    expect(mixed.ok ? null : mixed.refusal.rule).toBe('private');
  });

  it('throws a 400 capture_refused naming the rule from require()', async () => {
    await expect(new AddressGuard([], resolver).require('http://metadata.example/')).rejects.toMatchObject({ code: 'capture_refused', details: { rule: 'metadata' } });
  });
});
