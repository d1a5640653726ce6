// Drives the emulator's Fastly API with Fastly's official JavaScript client, unchanged.
// Usage: node check.mjs <base_url> <api_token>   (the first line the standalone emulator prints)
// The client hard-codes https://api.fastly.com per operation; we rebase URLs on our client
// instance (no library code is modified) so every call reaches the emulator instead.
import * as Fastly from 'fastly';
import { conform, modelOf } from './model-types.mjs';

const [baseUrl, apiKey] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error('usage: node check.mjs <base_url> <api_token>');
  process.exit(2);
}

const client = Fastly.ApiClient.instance;
client.authenticate(apiKey);
const buildUrl = client.buildUrl.bind(client);
client.buildUrl = (path, params, reserved, apiBasePath) =>
  buildUrl(path, params, reserved, apiBasePath === undefined || apiBasePath === null ? apiBasePath : baseUrl.replace(/\/+$/, ''));

// Every answer is checked against the field types of the model the client expects for it.
const mismatches = [];
const modelsChecked = new Set();
const callApi = client.callApi.bind(client);
client.callApi = async (...args) => {
  const result = await callApi(...args);
  const model = modelOf(args[11]);
  if (model && result.response?.text) {
    modelsChecked.add(model);
    mismatches.push(...conform(model, JSON.parse(result.response.text)).map((m) => `${args[1]} ${args[0]}: ${m}`));
  }
  return result;
};

const services = new Fastly.ServiceApi();
const versions = new Fastly.VersionApi();
const domains = new Fastly.DomainApi();
const backends = new Fastly.BackendApi();
const purge = new Fastly.PurgeApi();
const conditions = new Fastly.ConditionApi();
const cacheSettings = new Fastly.CacheSettingsApi();
const headers = new Fastly.HeaderApi();
const requestSettings = new Fastly.RequestSettingsApi();
const responseObjects = new Fastly.ResponseObjectApi();
const settings = new Fastly.SettingsApi();
const acls = new Fastly.AclApi();
const aclEntries = new Fastly.AclEntryApi();

// The client's models convert each field to its declared type (Number(x), String(x)); a value of the wrong JSON type
// comes out as NaN, "false" or similar. These compare what the model produced with the type and value it declares.
const expect = (what, actual, expected) => {
  if (actual !== expected) {
    console.error(`FAIL ${what}: expected ${JSON.stringify(expected)} (${typeof expected}), got ${JSON.stringify(actual)} (${typeof actual})`);
    process.exit(1);
  }
};

// A String field of the model reads a JSON number as its text too, so the JSON itself is checked as well.
const wire = (what, info, fields) => {
  const json = JSON.parse(info.response.text);
  for (const [field, type] of Object.entries(fields)) {
    expect(`${what}.${field} on the wire`, typeof json[field], type);
  }
  return info.data;
};

const refused = async (name, fn, status, detail) => {
  try {
    await fn();
  } catch (e) {
    const body = JSON.parse(e.response?.text ?? '{}');
    if (e.status === status && (detail === undefined || body.detail === detail)) {
      console.log(`ok   ${name} (refused: ${status} ${body.detail ?? body.msg})`);
      return;
    }
    console.error(`FAIL ${name}: expected ${status} ${detail ?? ''}, got ${e.status} ${e.response?.text ?? e.message}`);
    process.exit(1);
  }
  console.error(`FAIL ${name}: expected a ${status} refusal, the call succeeded`);
  process.exit(1);
};

const step = async (name, fn) => {
  try {
    const result = await fn();
    console.log(`ok   ${name}`);
    return result;
  } catch (e) {
    console.error(`FAIL ${name}: ${e.status ?? ''} ${e.response?.text ?? e.message}`);
    process.exit(1);
  }
};

const service = await step('createService', () => services.createService({ name: 'official-client', comment: 'made by fastly-js', type: 'vcl' }));
const id = service.id;
await step('createDomain', () => domains.createDomain({ service_id: id, version_id: 1, name: 'www.official.example' }));
await step('createBackend', () => backends.createBackend({ service_id: id, version_id: 1, name: 'origin', address: 'origin.official.example', port: 443, use_ssl: true }));
const backend = wire('backend', await step('getBackend', () => backends.getBackendWithHttpInfo({ service_id: id, version_id: 1, backend_name: 'origin' })), { port: 'number', use_ssl: 'boolean', version: 'number' });
expect('backend.port (Number)', backend.port, 443);
expect('backend.use_ssl (Boolean)', backend.use_ssl, true);
expect('backend.version (Number)', backend.version, 1);

// The legacy versioned objects: numbers are strings in Fastly's models.
const condition = wire('condition', await step('createCondition', () => conditions.createConditionWithHttpInfo({ service_id: id, version_id: 1, name: 'images', type: 'REQUEST', statement: 'req.url ~ "^/images/"', priority: '10' })), { priority: 'string', version: 'string' });
expect('condition.priority (String)', condition.priority, '10');
expect('condition.version (String)', condition.version, '1');
const cache = wire('cache_settings', await step('createCacheSettings', () => cacheSettings.createCacheSettingsWithHttpInfo({ service_id: id, version_id: 1, name: 'images', ttl: '3600', stale_ttl: '60', action: 'cache', cache_condition: 'images' })), { ttl: 'string', stale_ttl: 'string', version: 'string' });
expect('cache_settings.ttl (String)', cache.ttl, '3600');
expect('cache_settings.stale_ttl (String)', cache.stale_ttl, '60');
expect('cache_settings.version (String)', cache.version, '1');
const listedCache = await step('listCacheSettings', () => cacheSettings.listCacheSettings({ service_id: id, version_id: 1 }));
expect('listed cache_settings.ttl (String)', listedCache[0]?.ttl, '3600');
const header = wire('header', await step('createHeaderObject', () => headers.createHeaderObjectWithHttpInfo({ service_id: id, version_id: 1, name: 'x-served', type: 'response', action: 'set', dst: 'http.X-Served', src: '"poppy"', priority: '10' })), { priority: 'string', version: 'string' });
expect('header.priority (String)', header.priority, '10');
expect('header.version (String)', header.version, '1');
// The client's createRequestSettings sends no fields (its OpenAPI operation declares none), so the object is created
// with a plain form POST, then changed and read through the client.
await step('create request settings (plain form POST)', async () => {
  const r = await fetch(`${baseUrl.replace(/\/+$/, '')}/service/${id}/version/1/request_settings`, {
    method: 'POST',
    headers: { 'Fastly-Key': apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'name=miss',
  });
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
});
await step('updateRequestSettings', () => requestSettings.updateRequestSettings({ service_id: id, version_id: 1, request_settings_name: 'miss', force_miss: 1, bypass_busy_wait: 0 }));
const rs = wire('request_settings', await step('getRequestSettings', () => requestSettings.getRequestSettingsWithHttpInfo({ service_id: id, version_id: 1, request_settings_name: 'miss' })), { force_miss: 'string', bypass_busy_wait: 'string', version: 'string' });
expect('request_settings.force_miss (String "0"/"1")', rs.force_miss, '1');
expect('request_settings.bypass_busy_wait (String "0"/"1")', rs.bypass_busy_wait, '0');
expect('request_settings.version (String)', rs.version, '1');
const ro = wire('response_object', await step('createResponseObject', () => responseObjects.createResponseObjectWithHttpInfo({ service_id: id, version_id: 1, create_response_object_request: { name: 'forbidden', status: '403', response: 'Forbidden', content: 'Forbidden', content_type: 'text/plain' } })), { status: 'string', version: 'string' });
expect('response_object.status (String)', ro.status, '403');
expect('response_object.version (String)', ro.version, '1');
const ttl = await step('updateServiceSettings', () => settings.updateServiceSettings({ service_id: id, version_id: 1, general_default_ttl: 600 }));
expect('settings.general.default_ttl (Number)', ttl['general.default_ttl'], 600);
expect('settings.version (Number)', ttl.version, 1);

// ACLs and their entries: negated is 0/1 in the model.
const acl = wire('acl', await step('createAcl', () => acls.createAclWithHttpInfo({ service_id: id, version_id: 1, name: 'blocked' })), { version: 'string' });
expect('acl.version (String)', acl.version, '1');
const entry = wire('acl entry', await step('createAclEntry', () => aclEntries.createAclEntryWithHttpInfo({ service_id: id, acl_id: acl.id, acl_entry: { ip: '192.0.2.0', subnet: 24, negated: 1 } })), { negated: 'number', subnet: 'number' });
expect('acl entry negated (Number 0/1)', entry.negated, 1);
expect('acl entry subnet (Number)', entry.subnet, 24);
await step('bulkUpdateAclEntries (create, update)', () => aclEntries.bulkUpdateAclEntries({
  service_id: id,
  acl_id: acl.id,
  bulk_update_acl_entries_request: { entries: [{ op: 'create', ip: '198.51.100.0', subnet: 24, negated: 0 }, { op: 'update', id: entry.id, negated: 0 }] },
}));
const entries = await step('listAclEntries', () => aclEntries.listAclEntries({ service_id: id, acl_id: acl.id }));
expect('acl entries after the batch', entries.length, 2);
expect('updated entry negated', entries.find((e) => e.id === entry.id)?.negated, 0);
const flipped = await step('updateAclEntry', () => aclEntries.updateAclEntry({ service_id: id, acl_id: acl.id, acl_entry_id: entry.id, acl_entry: { negated: 1 } }));
expect('acl entry negated after update', flipped.negated, 1);
await step('deleteAcl', () => acls.deleteAcl({ service_id: id, version_id: 1, acl_name: 'blocked' }));
// The reads the Poppy provider makes, for the field-type comparison.
await step('listServices', () => services.listServices({ page: 1, per_page: 20 }));
await step('searchService', () => services.searchService({ name: 'official-client' }));
await step('getService', () => services.getService({ service_id: id }));
await step('listServiceVersions', () => versions.listServiceVersions({ service_id: id }));
await step('updateServiceVersion', () => versions.updateServiceVersion({ service_id: id, version_id: 1, comment: 'checked' }));
await step('listDomains', () => domains.listDomains({ service_id: id, version_id: 1 }));
await step('listBackends', () => backends.listBackends({ service_id: id, version_id: 1 }));
await step('listConditions', () => conditions.listConditions({ service_id: id, version_id: 1 }));
await step('listResponseObjects', () => responseObjects.listResponseObjects({ service_id: id, version_id: 1 }));
await step('listHeaderObjects', () => headers.listHeaderObjects({ service_id: id, version_id: 1 }));
await step('listRequestSettings', () => requestSettings.listRequestSettings({ service_id: id, version_id: 1 }));
await step('listAcls', () => acls.listAcls({ service_id: id, version_id: 1 }));
await step('getServiceSettings', () => settings.getServiceSettings({ service_id: id, version_id: 1 }));
await step('deleteResponseObject', () => responseObjects.deleteResponseObject({ service_id: id, version_id: 1, response_object_name: 'forbidden' }));

const validation = await step('validateServiceVersion', () => versions.validateServiceVersion({ service_id: id, version_id: 1 }));
if (validation.status !== 'ok') { console.error('FAIL validation status', validation); process.exit(1); }
const active = await step('activateServiceVersion', () => versions.activateServiceVersion({ service_id: id, version_id: 1 }));
if (active.active !== true) { console.error('FAIL not active', active); process.exit(1); }
const clone = await step('cloneServiceVersion', () => versions.cloneServiceVersion({ service_id: id, version_id: 1 }));
if (clone.number !== 2) { console.error('FAIL clone number', clone); process.exit(1); }
const detail = await step('getServiceDetail', () => services.getServiceDetail({ service_id: id }));
if (detail.active_version?.number !== 1) { console.error('FAIL detail active version', detail.active_version); process.exit(1); }
await step('purgeSingleUrl', () => purge.purgeSingleUrl({ cached_url: 'www.official.example/index.html' }));
await step('purgeTag', () => purge.purgeTag({ service_id: id, surrogate_key: 'homepage' }));
await step('purgeTag (soft)', () => purge.purgeTag({ service_id: id, surrogate_key: 'homepage', fastly_soft_purge: 1 }));
await step('bulkPurgeTag', () => purge.bulkPurgeTag({ service_id: id, purge_response: { surrogate_keys: ['a', 'b'] } }));
const all = await step('purgeAll', () => purge.purgeAllWithHttpInfo({ service_id: id }));
expect('purgeAll status', all.data.status, 'ok');
const remaining = all.response.headers['fastly-ratelimit-remaining'];
if (!/^\d+$/.test(remaining ?? '') || !/^\d+$/.test(all.response.headers['fastly-ratelimit-reset'] ?? '')) {
  console.error('FAIL purgeAll: no Fastly-RateLimit-* headers', all.response.headers);
  process.exit(1);
}
await refused('deleteService (active version)', () => services.deleteService({ service_id: id }), 400, 'Cannot delete service with active version');
await step('deactivateServiceVersion', () => versions.deactivateServiceVersion({ service_id: id, version_id: 1 }));
await step('deleteService', () => services.deleteService({ service_id: id }));
if (mismatches.length > 0) {
  console.error(`FAIL field types differ from the client's models:\n  ${mismatches.join('\n  ')}`);
  process.exit(1);
}
console.log(`ok   field types of every answer match the models (${[...modelsChecked].sort().join(', ')})`);
console.log('official Fastly client: all calls succeeded against the emulator');
