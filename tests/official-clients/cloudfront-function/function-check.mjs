// Runs the CloudFront Function Poppy generates (tests/Poppy.Sdk.CloudFront.Tests/Golden/viewer-request.js,
// kept equal to the generator's output by GoldenFunctionTests) under Node with CloudFront viewer-request
// events, and checks every allow/deny decision. No dependencies; exits non-zero on the first failure.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const code = readFileSync(join(here, '..', '..', 'Poppy.Sdk.CloudFront.Tests', 'Golden', 'viewer-request.js'), 'utf8');
const handler = new Function(code + '\nreturn handler;')();

function event(uri, ip, referer) {
  const headers = { host: { value: 'www.example.com' } };
  if (referer !== undefined) {
    headers.referer = { value: referer };
  }
  return { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip }, request: { method: 'GET', uri, querystring: {}, headers, cookies: {} } };
}

// [description, uri, viewer ip, referer, expected: 'allow' | 'deny']
const cases = [
  ['page, ordinary viewer', '/index.html', '203.0.113.50', undefined, 'allow'],
  ['image from a whitelisted referrer', '/images/a.png', '203.0.113.50', 'https://partner.example.org/page', 'allow'],
  ['image, referrer with port and path', '/images/a.png', '203.0.113.50', 'http://WWW.EXAMPLE.COM:8080/x?y', 'allow'],
  ['image without a referrer', '/images/a.png', '203.0.113.50', undefined, 'deny'],
  ['image from another referrer', '/images/a.png', '203.0.113.50', 'https://evil.example.net/', 'deny'],
  ['image, look-alike referrer host', '/images/a.png', '203.0.113.50', 'https://partner.example.org.evil.net/', 'deny'],
  ['image, referrer host as subdomain', '/images/a.png', '203.0.113.50', 'https://x.partner.example.org/', 'deny'],
  ['api from the whitelisted /24', '/api/v1/items', '198.51.100.77', undefined, 'allow'],
  ['api from the whitelisted /32', '/api/v1/items', '203.0.113.7', undefined, 'allow'],
  ['api from elsewhere', '/api/v1/items', '203.0.113.8', undefined, 'deny'],
  ['api path prefix only', '/apix', '203.0.113.8', undefined, 'allow'],
  ['blacklisted IPv6 network', '/index.html', '2001:db8:1234::1', undefined, 'deny'],
  ['IPv6 outside the network', '/index.html', '2001:db9::1', undefined, 'allow'],
  ['IPv6 loopback', '/index.html', '::1', undefined, 'allow'],
  ['blacklisted IPv4 /25, low half', '/index.html', '192.0.2.100', undefined, 'deny'],
  ['IPv4 /25, high half', '/index.html', '192.0.2.200', undefined, 'allow'],
  ['IPv4-mapped IPv6 in the blacklisted /25', '/index.html', '::ffff:192.0.2.1', undefined, 'deny'],
  ['garbage viewer ip', '/index.html', 'not-an-ip', undefined, 'allow'],
];

let failed = 0;
for (const [what, uri, ip, referer, expected] of cases) {
  const result = handler(event(uri, ip, referer));
  const actual = result && result.statusCode === 403 ? 'deny' : 'allow';
  if (actual === 'allow' && result.uri !== uri) {
    console.log(`FAIL ${what}: the request was not passed through unchanged`);
    failed++;
    continue;
  }
  console.log(`${actual === expected ? 'ok  ' : 'FAIL'} ${what}: ${actual}`);
  if (actual !== expected) {
    failed++;
  }
}

console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
