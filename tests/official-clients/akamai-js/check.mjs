// Drives the emulator's Akamai APIs with Akamai's official EdgeGrid client for Node (npm 'akamai-edgegrid'),
// unchanged, through a whole property lifecycle, and exits non-zero on the first mismatch.
// Usage: node check.mjs <base_url> <host> <client_token> <client_secret> <access_token>
//        (the values of the standalone emulator's `akamai ...` start-up line)
// The client prefixes a bare host with https://, but resolves each request path against it with `new URL(path, host)`,
// so an absolute path on the emulator's http:// base URL is requested -- and signed -- as given (scheme http).
import { writeFileSync } from 'node:fs';
import EdgeGrid from 'akamai-edgegrid';

const [baseUrl, host, clientToken, clientSecret, accessToken] = process.argv.slice(2);
if (!baseUrl || !host || !clientToken || !clientSecret || !accessToken) {
  console.error('usage: node check.mjs <base_url> <host> <client_token> <client_secret> <access_token>');
  process.exit(2);
}

const base = baseUrl.replace(/\/+$/, '');
const client = new EdgeGrid(clientToken, clientSecret, accessToken, host);
const wrongSecret = new EdgeGrid(clientToken, clientSecret + 'x', accessToken, host);

// With AKAMAI_CHECK_DUMP=<file>, every answer (method, path, status, content type, body) is written there
// for schema_check.py to compare with the akamai-apis OpenAPI schemas.
const answers = [];
const dump = () => process.env.AKAMAI_CHECK_DUMP && writeFileSync(process.env.AKAMAI_CHECK_DUMP, JSON.stringify(answers, null, 1));

function fail(what, detail) {
  console.error(`FAIL ${what}: ${detail}`);
  dump();
  process.exit(1);
}

function expect(what, actual, expected) {
  if (actual !== expected) {
    fail(what, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// One signed request; resolves to {status, headers, data} for any HTTP status.
function call(method, path, { body, headers = {}, signer = client } = {}) {
  return new Promise((resolve, reject) => {
    const request = { path: base + path, method, headers: { 'PAPI-Use-Prefixes': 'true', ...headers } };
    if (body !== undefined) {
      request.body = body;
    }
    signer.auth(request).send((error, response) => {
      if (error && !error.response) {
        reject(error);
        return;
      }
      const r = error ? error.response : response;
      answers.push({ method, path, status: r.status, contentType: r.headers['content-type'], body: r.data });
      resolve({ status: r.status, headers: r.headers, data: r.data });
    });
  });
}

async function ok(what, method, path, options, status = 200) {
  const r = await call(method, path, options);
  if (r.status !== status) {
    fail(what, `${method} ${path}: expected ${status}, got ${r.status}: ${JSON.stringify(r.data)}`);
  }
  return r;
}

function idFrom(link, prefix) {
  const m = new RegExp(`/${prefix}_([^/?]+)`).exec(link ?? '');
  if (!m) {
    fail(`link ${prefix}`, `no ${prefix}_ id in ${link}`);
  }
  return `${prefix}_${m[1]}`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitActive(what, propertyId, activationId) {
  for (let i = 0; i < 60; i++) {
    const r = await ok(what, 'GET', `/papi/v1/properties/${propertyId}/activations/${activationId}`);
    const item = r.data.activations.items[0];
    expect(`${what}: activationId`, item.activationId, activationId);
    if (item.status === 'ACTIVE') {
      return item;
    }
    expect(`${what}: status while waiting`, item.status, 'PENDING');
    const retryAfter = Number(r.headers['retry-after'] ?? 1);
    await sleep(Math.min(retryAfter, 1) * 1000);
  }
  fail(what, 'still not ACTIVE after 60 polls');
}

const cg = '?contractId=ctr_C-0N7RAC7&groupId=grp_15225';
const name = `poppy-check-${Date.now()}`;
const domain = `www.${name}.example.com`;

// Account prerequisites.
const contracts = await ok('contracts', 'GET', '/papi/v1/contracts');
const contractId = contracts.data.contracts.items[0].contractId;
expect('contract id prefix', contractId.startsWith('ctr_'), true);
const groups = await ok('groups', 'GET', '/papi/v1/groups');
const groupId = groups.data.groups.items[0].groupId;
expect('contract/group of the check', `?contractId=${contractId}&groupId=${groupId}`, cg);
const products = await ok('products', 'GET', `/papi/v1/products?contractId=${contractId}`);
const productId = products.data.products.items[0].productId;
expect('product id prefix', productId.startsWith('prd_'), true);

// Authentication failures: a wrong secret is a 401 pep-authn/deny problem.
const denied = await call('GET', '/papi/v1/contracts', { signer: wrongSecret });
expect('wrong secret status', denied.status, 401);
expect('wrong secret type', denied.data.type, 'https://problems.luna.akamaiapis.net/-/pep-authn/deny');
expect('wrong secret detail', denied.data.detail, 'The signature does not match');

// Nothing by this name yet (a retried create would find its property here).
const none = await ok('find-by-value before create', 'POST', '/papi/v1/search/find-by-value', { body: { propertyName: name } });
expect('find-by-value before create', none.data.versions.items.length, 0);

// CP code, edge hostname (ipVersionBehavior is required).
const cpcode = await ok('create cpcode', 'POST', `/papi/v1/cpcodes${cg}`, { body: { productId, cpcodeName: name } }, 201);
const cpcodeId = idFrom(cpcode.data.cpcodeLink, 'cpc');
expect('cpcode Location', cpcode.headers.location, cpcode.data.cpcodeLink);
const missingIp = await call('POST', `/papi/v1/edgehostnames${cg}`, { body: { productId, domainPrefix: domain, domainSuffix: 'edgekey.net', secureNetwork: 'ENHANCED_TLS' } });
expect('edge hostname without ipVersionBehavior', missingIp.status, 400);
expect('problem+json', String(missingIp.headers['content-type']).startsWith('application/problem+json'), true);
const ehn = await ok('create edge hostname', 'POST', `/papi/v1/edgehostnames${cg}`, {
  body: { productId, domainPrefix: domain, domainSuffix: 'edgekey.net', secureNetwork: 'ENHANCED_TLS', ipVersionBehavior: 'IPV6_COMPLIANCE' },
}, 201);
const edgeHostnameId = idFrom(ehn.data.edgeHostnameLink, 'ehn');
const ehnGet = await ok('get edge hostname', 'GET', `/papi/v1/edgehostnames/${edgeHostnameId}${cg}`);
expect('edge hostname domain', ehnGet.data.edgeHostnames.items[0].edgeHostnameDomain, `${domain}.edgekey.net`);

// Property (version 1), its rule tree and hostnames.
const property = await ok('create property', 'POST', `/papi/v1/properties${cg}`, { body: { productId, propertyName: name, ruleFormat: 'v2024-02-12' } }, 201);
const propertyId = idFrom(property.data.propertyLink, 'prp');
const bare = await ok('get property without prefixes', 'GET', `/papi/v1/properties/${propertyId}${cg}`, { headers: { 'PAPI-Use-Prefixes': 'false' } });
expect('unprefixed property id', bare.data.properties.items[0].propertyId, propertyId.slice(4));
const rules = await ok('get rules', 'GET', `/papi/v1/properties/${propertyId}/versions/1/rules${cg}`);
const rulesEtag = rules.data.etag;
expect('rules ETag header', rules.headers.etag, `"${rulesEtag}"`);
rules.data.rules.behaviors = [
  { name: 'origin', options: { originType: 'CUSTOMER', hostname: 'origin.example.net', forwardHostHeader: 'REQUEST_HOST_HEADER', cacheKeyHostname: 'ORIGIN_HOSTNAME', httpPort: 80, httpsPort: 443 } },
  { name: 'cpCode', options: { value: { id: Number(cpcodeId.slice(4)) } } },
  { name: 'caching', options: { behavior: 'MAX_AGE', ttl: '1d', mustRevalidate: false } },
];
rules.data.rules.options = { is_secure: true };
const put = await ok('put rules', 'PUT', `/papi/v1/properties/${propertyId}/versions/1/rules${cg}`, {
  body: { rules: rules.data.rules },
  headers: { 'Content-Type': 'application/vnd.akamai.papirules.v2024-02-12+json', 'If-Match': `"${rulesEtag}"` },
});
expect('frozen rule format', put.data.ruleFormat, 'v2024-02-12');
expect('no validation errors', put.data.errors, undefined);
const stale = await call('PUT', `/papi/v1/properties/${propertyId}/versions/1/rules${cg}`, { body: { rules: rules.data.rules }, headers: { 'If-Match': `"${rulesEtag}"` } });
expect('stale If-Match', stale.status, 412);
const hostnames = await ok('put hostnames', 'PUT', `/papi/v1/properties/${propertyId}/versions/1/hostnames${cg}`, {
  body: [{ cnameType: 'EDGE_HOSTNAME', cnameFrom: domain, cnameTo: `${domain}.edgekey.net`, certProvisioningType: 'DEFAULT' }],
});
const hostname = hostnames.data.hostnames.items[0];
expect('hostname edge hostname id', hostname.edgeHostnameId, edgeHostnameId);
expect('validation CNAME', hostname.certStatus.validationCname.hostname, `_acme-challenge.${domain}`);

// The lists the provider reads.
for (const path of [`/papi/v1/cpcodes${cg}`, `/papi/v1/cpcodes/${cpcodeId}${cg}`, `/papi/v1/edgehostnames${cg}`, `/papi/v1/properties${cg}`,
  `/papi/v1/properties/${propertyId}/versions${cg}`, `/papi/v1/properties/${propertyId}/versions/latest${cg}`,
  `/papi/v1/properties/${propertyId}/versions/1/hostnames${cg}`]) {
  await ok(`read ${path}`, 'GET', path);
}

// Activate on staging and poll to ACTIVE.
const activation = await ok('activate', 'POST', `/papi/v1/properties/${propertyId}/activations${cg}`, {
  body: { propertyVersion: 1, network: 'STAGING', notifyEmails: ['noc@example.com'], note: 'poppy check', acknowledgeAllWarnings: true },
}, 201);
const activationId = idFrom(activation.data.activationLink, 'atv');
await waitActive('activation', propertyId, activationId);
const found = await ok('find-by-value after activation', 'POST', '/papi/v1/search/find-by-value', { body: { propertyName: name } });
expect('found property', found.data.versions.items[0].propertyId, propertyId);
expect('found staging status', found.data.versions.items[0].stagingStatus, 'ACTIVE');
const active = await call('DELETE', `/papi/v1/properties/${propertyId}${cg}`);
expect('delete while active', active.status, 500);

// A new version from the active one, with its etag.
const v1 = await ok('get version 1', 'GET', `/papi/v1/properties/${propertyId}/versions/1${cg}`);
const v2 = await ok('create version 2', 'POST', `/papi/v1/properties/${propertyId}/versions${cg}`, { body: { createFromVersion: 1, createFromVersionEtag: v1.data.versions.items[0].etag } }, 201);
expect('version link', /\/versions\/2\?/.test(v2.data.versionLink), true);

// Fast Purge: URL, tag and CP code on both networks.
for (const [path, objects] of [
  ['/ccu/v3/invalidate/url/production', [`https://${domain}/index.html`, `http://${domain}/index.html`]],
  ['/ccu/v3/delete/tag/staging', ['poppy-svc-1']],
  ['/ccu/v3/invalidate/cpcode/production', [Number(cpcodeId.slice(4))]],
]) {
  const purge = await ok(`purge ${path}`, 'POST', path, { body: { objects } }, 201);
  expect(`purge ${path} httpStatus`, purge.data.httpStatus, 201);
  expect(`purge ${path} estimatedSeconds`, typeof purge.data.estimatedSeconds, 'number');
  expect(`purge ${path} ids`, Boolean(purge.data.purgeId && purge.data.supportId), true);
}
const tooBig = await call('POST', '/ccu/v3/invalidate/tag/production', { body: { objects: Array.from({ length: 2000 }, (_, i) => `tag-${i}-${'x'.repeat(20)}`) } });
expect('purge over 50,000 bytes', tooBig.status, 413);

// Deactivate on staging, then delete.
const deactivation = await ok('deactivate', 'POST', `/papi/v1/properties/${propertyId}/activations${cg}`, {
  body: { propertyVersion: 1, network: 'STAGING', activationType: 'DEACTIVATE', notifyEmails: ['noc@example.com'] },
}, 201);
const done = await waitActive('deactivation', propertyId, idFrom(deactivation.data.activationLink, 'atv'));
expect('deactivation type', done.activationType, 'DEACTIVATE');
const after = await ok('get property after deactivation', 'GET', `/papi/v1/properties/${propertyId}${cg}`);
expect('staging version after deactivation', after.data.properties.items[0].stagingVersion, null);
const history = await ok('list activations', 'GET', `/papi/v1/properties/${propertyId}/activations${cg}`);
expect('activations listed', history.data.activations.items.length, 2);
const deleted = await ok('delete property', 'DELETE', `/papi/v1/properties/${propertyId}${cg}`);
expect('delete message', deleted.data.message, 'Deletion Successful.');
const gone = await call('GET', `/papi/v1/properties/${propertyId}${cg}`);
expect('deleted property', gone.status, 404);

dump();
console.log('akamai-edgegrid: whole lifecycle against the emulator passed');
