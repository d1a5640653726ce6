// Drives the emulator's Cloudflare API with Cloudflare's official TypeScript/JavaScript client, unchanged.
// Usage: node check.mjs <base_url> <api_token> <zone_id> <account_id>   (the values of the emulator's `cloudflare` line)
// The client takes the base URL as an option (`baseURL`), so no URL rewriting is needed. For the 429 check a
// wrapping `fetch` (a documented client option) only records the statuses each client saw, to prove it retried.
import Cloudflare from 'cloudflare';
import { conform } from './model-fields.mjs';

const [baseURL, apiToken, zoneId, accountId] = process.argv.slice(2);
if (!baseURL || !apiToken || !zoneId || !accountId) {
  console.error('usage: node check.mjs <base_url> <api_token> <zone_id> <account_id>');
  process.exit(2);
}

const client = new Cloudflare({ apiToken, baseURL });
const noRetry = new Cloudflare({ apiToken, baseURL, maxRetries: 0 });
const badToken = new Cloudflare({ apiToken: 'not-the-token', baseURL, maxRetries: 0 });

// Every answer below is also compared, field by field, with the client's declared answer type.
const mismatches = [];
const model = (what, value, ...models) => {
  mismatches.push(...conform(what, value, ...models));
  return value;
};
const CH = 'custom-hostnames/custom-hostnames.d.ts';
const hostnameModels = (value, response) => {
  model(`${response}`, value, [CH, response]);
  if (value.ssl) {
    model(`${response}.ssl`, value.ssl, [CH, `${response}.SSL`]);
    for (const r of value.ssl.validation_records ?? []) model(`${response}.ssl.validation_records[]`, r, [CH, `${response}.SSL.ValidationRecord`]);
  }
  if (value.ownership_verification) model(`${response}.ownership_verification`, value.ownership_verification, [CH, `${response}.OwnershipVerification`]);
  if (value.ownership_verification_http) model(`${response}.ownership_verification_http`, value.ownership_verification_http, [CH, `${response}.OwnershipVerificationHTTP`]);
  return value;
};
const rulesetModels = (value, response, file) => {
  model(response, value, [file, response]);
  const kinds = { set_cache_settings: 'SetCacheSettingsRule', route: 'RouteRule', block: 'BlockRule' };
  for (const r of value.rules ?? []) model(`${response}.rules[${r.action}]`, r, ['rulesets/rules.d.ts', kinds[r.action]], [file, `${response}.${kinds[r.action]}`]);
  return value;
};

const fail = (message) => {
  console.error(`FAIL ${message}`);
  process.exit(1);
};

const expect = (condition, message) => {
  if (!condition) fail(message);
};

const step = async (name, fn) => {
  try {
    const result = await fn();
    console.log(`ok   ${name}`);
    return result;
  } catch (e) {
    fail(`${name}: ${e.status ?? ''} ${JSON.stringify(e.errors ?? e.message)}`);
  }
};

const refused = async (name, status, code, fn) => {
  try {
    await fn();
  } catch (e) {
    if (e.status === status && (code === undefined || e.errors?.[0]?.code === code)) {
      console.log(`ok   ${name} (refused: ${status} ${JSON.stringify(e.errors?.[0] ?? {})})`);
      return e;
    }
    fail(`${name}: expected ${status} code ${code}, got ${e.status} ${JSON.stringify(e.errors ?? e.message)}`);
  }
  fail(`${name}: expected a ${status} refusal, the call succeeded`);
};

// The token and the zone.
const token = model('TokenVerifyResponse', await step('user.tokens.verify', () => client.user.tokens.verify()), ['user/tokens/tokens.d.ts', 'TokenVerifyResponse']);
expect(token.status === 'active' && typeof token.id === 'string', `token ${JSON.stringify(token)}`);
const zone = model('Zone', await step('zones.get', () => client.zones.get({ zone_id: zoneId })), ['zones/zones.d.ts', 'Zone']);
expect(zone.id === zoneId && zone.account?.id === accountId && zone.status === 'active', `zone ${JSON.stringify(zone)}`);
// The 429 check below sizes its bursts for the Pro plan's purge bucket (25 requests, 5 per second).
expect(zone.plan?.legacy_id === 'pro', `zone plan ${zone.plan?.legacy_id}: start the emulator with --cloudflare-plan pro`);
const zones = [];
for await (const z of client.zones.list({ account: { id: accountId } })) zones.push(z);
expect(zones.length === 1 && zones[0].id === zoneId, `zones.list ${zones.length}`);
console.log('ok   zones.list (auto-paged)');
await refused('zones.get (unknown zone)', 404, undefined, () => noRetry.zones.get({ zone_id: '0'.repeat(32) }));

// Custom hostnames.
const hostname = 'www.official-client.example';
const created = hostnameModels(await step('customHostnames.create', () => client.customHostnames.create({
  zone_id: zoneId,
  hostname,
  ssl: { method: 'txt', type: 'dv', settings: { min_tls_version: '1.2' } },
  custom_metadata: { poppy_service: 'svc-official' },
  custom_origin_server: 'origin.saas.example.net',
})), 'CustomHostnameCreateResponse');
expect(typeof created.id === 'string' && created.hostname === hostname, `created ${JSON.stringify(created)}`);
expect(created.ssl?.method === 'txt' && created.ssl?.type === 'dv' && typeof created.ssl?.status === 'string', `ssl ${JSON.stringify(created.ssl)}`);
expect(created.custom_metadata?.poppy_service === 'svc-official', 'custom_metadata');
await refused('customHostnames.create (duplicate)', 409, 1406, () => noRetry.customHostnames.create({ zone_id: zoneId, hostname, ssl: { method: 'http', type: 'dv' } }));
await step('customHostnames.create (second, http)', () => client.customHostnames.create({ zone_id: zoneId, hostname: 'static.official-client.example', ssl: { method: 'http', type: 'dv' } }));

const listed = [];
for await (const h of client.customHostnames.list({ zone_id: zoneId, per_page: 1 })) listed.push(h.hostname);
expect(listed.length === 2 && listed.includes(hostname), `auto-paged list: ${listed}`);
console.log('ok   customHostnames.list (auto-paged, per_page 1)');
const page = await step('customHostnames.list (hostname.exact)', () => client.customHostnames.list({ zone_id: zoneId, hostname: { exact: hostname } }));
expect(page.result.length === 1 && page.result[0].id === created.id, `filtered ${JSON.stringify(page.result)}`);
expect(page.result_info?.total_count === 1 && page.result_info?.page === 1, `result_info ${JSON.stringify(page.result_info)}`);

const got = hostnameModels(await step('customHostnames.get', () => client.customHostnames.get(created.id, { zone_id: zoneId })), 'CustomHostnameGetResponse');
expect(got.status === 'active' && got.ssl?.status === 'active', `status ${got.status}/${got.ssl?.status}: start the emulator with --deploy-delay 0`);
const edited = hostnameModels(await step('customHostnames.edit', () => client.customHostnames.edit(created.id, {
  zone_id: zoneId,
  custom_metadata: { poppy_service: 'svc-official', revision: '2' },
  custom_origin_sni: 'sni.saas.example.net',
})), 'CustomHostnameEditResponse');
expect(edited.custom_metadata?.revision === '2' && edited.custom_origin_sni === 'sni.saas.example.net', `edited ${JSON.stringify(edited)}`);
await refused('customHostnames.create (email validation)', 400, undefined, () => noRetry.customHostnames.create({ zone_id: zoneId, hostname: 'mail.official-client.example', ssl: { method: 'email', type: 'dv' } }));

// The fallback origin.
const fallback = model('FallbackOriginUpdateResponse', await step('customHostnames.fallbackOrigin.update', () => client.customHostnames.fallbackOrigin.update({ zone_id: zoneId, origin: 'fallback.saas.example.net' })), ['custom-hostnames/fallback-origin.d.ts', 'FallbackOriginUpdateResponse']);
expect(fallback.origin === 'fallback.saas.example.net', `fallback ${JSON.stringify(fallback)}`);
const fallbackRead = model('FallbackOriginGetResponse', await step('customHostnames.fallbackOrigin.get', () => client.customHostnames.fallbackOrigin.get({ zone_id: zoneId })), ['custom-hostnames/fallback-origin.d.ts', 'FallbackOriginGetResponse']);
expect(fallbackRead.origin === 'fallback.saas.example.net', 'fallback read back');

// Rulesets: the phase entry point is missing, then created; rules go one by one.
const phase = 'http_request_cache_settings';
await refused('rulesets.phases.get (no entry point yet)', 404, undefined, () => noRetry.rulesets.phases.get(phase, { zone_id: zoneId }));
const entry = rulesetModels(await step('rulesets.phases.update (create the entry point)', () => client.rulesets.phases.update(phase, { zone_id: zoneId, name: 'default', rules: [] })), 'PhaseUpdateResponse.Ruleset', 'rulesets/phases/phases.d.ts');
expect(entry.phase === phase && entry.kind === 'zone' && entry.rules.length === 0, `entry ${JSON.stringify(entry)}`);
const stamp = 'poppy:svc-official:cache:0';
const expression = `(http.host in {"${hostname}"}) and starts_with(http.request.uri.path, "/images/")`;
const added = rulesetModels(await step('rulesets.rules.create', () => client.rulesets.rules.create(entry.id, {
  zone_id: zoneId,
  action: 'set_cache_settings',
  action_parameters: { cache: true, edge_ttl: { mode: 'override_origin', default: 3600 } },
  expression,
  description: 'images for an hour',
  ref: stamp,
})), 'RuleCreateResponse.Ruleset', 'rulesets/rules.d.ts');
const rule = added.rules.find((r) => r.ref === stamp);
expect(rule && rule.expression === expression && rule.action === 'set_cache_settings', `rule ${JSON.stringify(added.rules)}`);
await refused('rulesets.rules.create (duplicate ref)', 400, undefined, () => noRetry.rulesets.rules.create(entry.id, { zone_id: zoneId, action: 'set_cache_settings', expression, ref: stamp }));
await refused('rulesets.rules.create (malformed expression)', 400, undefined, () => noRetry.rulesets.rules.create(entry.id, { zone_id: zoneId, action: 'set_cache_settings', expression: 'http.host in {"a.example"', ref: 'broken' }));
const editedRules = rulesetModels(await step('rulesets.rules.edit', () => client.rulesets.rules.edit(rule.id, {
  zone_id: zoneId,
  ruleset_id: entry.id,
  action: 'set_cache_settings',
  action_parameters: { cache: true, edge_ttl: { mode: 'override_origin', default: 7200 } },
  expression,
  ref: stamp,
})), 'RuleEditResponse.Ruleset', 'rulesets/rules.d.ts');
const editedRule = editedRules.rules.find((r) => r.id === rule.id);
expect(editedRule?.action_parameters?.edge_ttl?.default === 7200 && editedRule.version === '2', `edited rule ${JSON.stringify(editedRule)}`);
const read = rulesetModels(await step('rulesets.get', () => client.rulesets.get(entry.id, { zone_id: zoneId })), 'RulesetGetResponse', 'rulesets/rulesets.d.ts');
expect(read.rules.length === 1 && Number(read.version) > Number(entry.version), `ruleset version ${read.version}`);
const afterDelete = rulesetModels(await step('rulesets.rules.delete', () => client.rulesets.rules.delete(rule.id, { zone_id: zoneId, ruleset_id: entry.id })), 'RuleDeleteResponse.Ruleset', 'rulesets/rules.d.ts');
expect(afterDelete.rules.length === 0, 'the rule is gone');
const waf = rulesetModels(await step('rulesets.phases.update (custom firewall)', () => client.rulesets.phases.update('http_request_firewall_custom', {
  zone_id: zoneId,
  rules: [{ action: 'block', expression: `http.host in {"${hostname}"} and not ip.src.country in {"FR" "DE"}`, ref: 'poppy:svc-official:geo' }],
})), 'PhaseUpdateResponse.Ruleset', 'rulesets/phases/phases.d.ts');
expect(waf.rules.length === 1 && waf.rules[0].ref === 'poppy:svc-official:geo', 'firewall rule');

// Purges: by files, tags, prefixes, hosts; past the per-call limit, 400.
for (const [name, body] of [
  ['files', { files: [`https://${hostname}/index.html`, { url: `https://${hostname}/app.css`, headers: { Origin: 'https://example.com' } }] }],
  ['tags', { tags: ['poppy-svc-official'] }],
  ['prefixes', { prefixes: [`${hostname}/images/`] }],
  ['hosts', { hosts: [hostname] }],
]) {
  const purged = model('CachePurgeResponse', await step(`cache.purge (${name})`, () => client.cache.purge({ zone_id: zoneId, ...body })), ['cache/cache.d.ts', 'CachePurgeResponse']);
  expect(purged.id === zoneId, `purge id ${JSON.stringify(purged)}`);
}
await refused('cache.purge (101 tags)', 400, undefined, () => noRetry.cache.purge({ zone_id: zoneId, tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }));

// The purge token bucket: spend it with concurrent calls of a client that does not retry, until a 429 with Retry-After.
const spend = async () => {
  for (let round = 0; round < 20; round++) {
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => noRetry.cache.purge({ zone_id: zoneId, hosts: [hostname] })));
    for (const r of results) {
      if (r.status === 'rejected' && r.reason.status !== 429) fail(`cache.purge (spending the bucket): ${r.reason.status} ${JSON.stringify(r.reason.errors ?? r.reason.message)}`);
    }
    const throttled = results.find((r) => r.status === 'rejected');
    if (throttled) return throttled.reason;
  }
  fail('the purge bucket never ran out');
};

// Right after, five default clients (retries on) purge together: those that meet the empty bucket get a 429, wait
// Retry-After (1 s: five tokens by then) and retry. Each has its own recording fetch, so each call's statuses are known.
// A slow machine may refill the bucket in between; then the round is tried again.
const burst = async () => {
  const calls = Array.from({ length: 5 }, () => {
    const statuses = [];
    const recording = async (url, init) => {
      const response = await fetch(url, init);
      statuses.push({ status: response.status, retryAfter: response.headers.get('retry-after'), at: Date.now() });
      return response;
    };
    return { statuses, client: new Cloudflare({ apiToken, baseURL, fetch: recording }) };
  });
  await step('cache.purge x5 (default clients, after the bucket ran out)', () => Promise.all(calls.map((c) => c.client.cache.purge({ zone_id: zoneId, hosts: [hostname] }))));
  return calls.find((c) => c.statuses.length === 2 && c.statuses[0].status === 429 && c.statuses[1].status === 200);
};

let retried;
for (let attempt = 1; attempt <= 3 && !retried; attempt++) {
  const throttled = await spend();
  const retryAfter = Number(throttled.headers?.get('retry-after'));
  expect(retryAfter >= 1, `429 without Retry-After: ${throttled.headers?.get('retry-after')}`);
  expect(throttled.errors?.[0]?.code !== undefined, '429 without an error code');
  console.log(`ok   cache.purge answered 429 (Retry-After ${retryAfter} s, code ${throttled.errors[0].code}, Ratelimit ${throttled.headers.get('ratelimit')})`);
  retried = await burst();
}
expect(retried, 'no call of the default client met a 429 in three rounds');
const waited = retried.statuses[1].at - retried.statuses[0].at;
const asked = Number(retried.statuses[0].retryAfter);
expect(asked >= 1 && waited >= asked * 1000 - 50, `the client retried after ${waited} ms, before Retry-After ${asked} s`);
console.log(`ok   a 429 was honoured: the client waited ${waited} ms (Retry-After ${asked} s) and its retry succeeded`);

// A bad token is refused.
await refused('user.tokens.verify (bad token)', 403, 10000, () => badToken.user.tokens.verify());

// Clean up: delete the hostnames (a bare {"id"} answer) and the fallback origin.
const deleted = model('CustomHostnameDeleteResponse', await step('customHostnames.delete', () => client.customHostnames.delete(created.id, { zone_id: zoneId })), [CH, 'CustomHostnameDeleteResponse']);
expect(deleted.id === created.id, `delete answer ${JSON.stringify(deleted)}`);
await refused('customHostnames.get (deleted)', 404, undefined, () => noRetry.customHostnames.get(created.id, { zone_id: zoneId }));
for await (const h of client.customHostnames.list({ zone_id: zoneId })) {
  await client.customHostnames.delete(h.id, { zone_id: zoneId });
}
model('FallbackOriginDeleteResponse', await step('customHostnames.fallbackOrigin.delete', () => client.customHostnames.fallbackOrigin.delete({ zone_id: zoneId })), ['custom-hostnames/fallback-origin.d.ts', 'FallbackOriginDeleteResponse']);

if (mismatches.length > 0) {
  for (const m of mismatches) console.error(`FAIL model: ${m}`);
  process.exit(1);
}
console.log('ok   every answer has only the fields its declared type has, and all its required ones');
console.log('official Cloudflare client: all calls succeeded against the emulator');
