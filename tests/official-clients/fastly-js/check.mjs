// Drives the emulator's Fastly API with Fastly's official JavaScript client, unchanged.
// Usage: node check.mjs <base_url> <api_key>   (the first line the standalone emulator prints)
// The client hard-codes https://api.fastly.com per operation; we rebase URLs on our client
// instance (no library code is modified) so every call reaches the emulator instead.
import * as Fastly from 'fastly';

const [baseUrl, apiKey] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error('usage: node check.mjs <base_url> <api_key>');
  process.exit(2);
}

const client = Fastly.ApiClient.instance;
client.authenticate(apiKey);
const buildUrl = client.buildUrl.bind(client);
client.buildUrl = (path, params, reserved, apiBasePath) =>
  buildUrl(path, params, reserved, apiBasePath === undefined || apiBasePath === null ? apiBasePath : baseUrl.replace(/\/+$/, ''));

const services = new Fastly.ServiceApi();
const versions = new Fastly.VersionApi();
const domains = new Fastly.DomainApi();
const backends = new Fastly.BackendApi();
const purge = new Fastly.PurgeApi();

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
await step('bulkPurgeTag', () => purge.bulkPurgeTag({ service_id: id, purge_response: { surrogate_keys: ['a', 'b'] } }));
await step('purgeAll', () => purge.purgeAll({ service_id: id }));
await step('deactivateServiceVersion', () => versions.deactivateServiceVersion({ service_id: id, version_id: 1 }));
await step('deleteService', () => services.deleteService({ service_id: id }));
console.log('official Fastly client: all calls succeeded against the emulator');
