// Every answer the official client receives is compared, field by field, with the type its generated model declares
// (node_modules/fastly/dist/model/<Model>.js: `convertToType(data['ttl'], 'String')`, nested models, allOf parents).
// The model converts a mismatched value silently (3600 -> "3600", false -> NaN), so the raw JSON is what is checked.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const modelDir = join(dirname(createRequire(import.meta.url).resolve('fastly')), 'model');
const cache = new Map();

/** The fields of a model: name -> 'String' | 'Number' | 'Boolean' | 'Date' | 'Object' | { model } | { list }. */
export const fieldsOf = (model) => {
  if (cache.has(model)) return cache.get(model);
  const fields = new Map();
  cache.set(model, fields);
  let source;
  try {
    source = readFileSync(join(modelDir, `${model}.js`), 'utf8');
  } catch {
    return fields; // not a generated model (a map or a primitive)
  }
  for (const [, parent] of source.matchAll(/_(\w+)\["default"\]\.constructFromObject\(data, obj\)/g)) {
    for (const [k, v] of fieldsOf(parent)) fields.set(k, v);
  }
  for (const [, name, type] of source.matchAll(/obj\['([\w.]+)'\] = _ApiClient\["default"\]\.convertToType\(data\['[\w.]+'\], '(\w+)'\)/g)) {
    fields.set(name, type);
  }
  for (const [, name, item] of source.matchAll(/obj\['([\w.]+)'\] = _ApiClient\["default"\]\.convertToType\(data\['[\w.]+'\], \[_(\w+)\["default"\]\]\)/g)) {
    fields.set(name, { list: item });
  }
  for (const [, name, item] of source.matchAll(/obj\['([\w.]+)'\] = _ApiClient\["default"\]\.convertToType\(data\['[\w.]+'\], \['(\w+)'\]\)/g)) {
    fields.set(name, { list: item });
  }
  for (const [, name, nested] of source.matchAll(/obj\['([\w.]+)'\] = _(\w+)\["default"\]\.constructFromObject\(data\['[\w.]+'\]\)/g)) {
    fields.set(name, { model: nested });
  }
  return fields;
};

const jsonType = { String: 'string', Number: 'number', Boolean: 'boolean', Date: 'string' };

/** Differences between a raw JSON value and a model: "path: expected string, got number (3600)". */
export const conform = (model, value, path = model, out = []) => {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => conform(model, v, `${path}[${i}]`, out));
    return out;
  }
  if (typeof model === 'string' && jsonType[model]) {
    if (typeof value !== jsonType[model]) out.push(`${path}: the model says ${model}, the answer has ${typeof value} (${JSON.stringify(value)})`);
    return out;
  }
  const fields = fieldsOf(model);
  if (fields.size === 0 || typeof value !== 'object') return out;
  for (const [name, v] of Object.entries(value)) {
    const type = fields.get(name);
    if (type === undefined || type === 'Object') continue;
    if (typeof type === 'string') conform(type, v, `${path}.${name}`, out);
    else if (type.model) conform(type.model, v, `${path}.${name}`, out);
    else if (type.list) conform(type.list, Array.isArray(v) ? v : [v], `${path}.${name}`, out);
  }
  return out;
};

/** The model a client call declares it returns (a generated class, or [class]). */
export const modelOf = (returnType) => {
  if (Array.isArray(returnType)) return modelOf(returnType[0]);
  return typeof returnType === 'function' ? returnType.name : typeof returnType === 'string' ? returnType : null;
};
