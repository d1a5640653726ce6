// Reads the fields the official client's type declarations give each answer (node_modules/cloudflare/resources/**.d.ts,
// generated from Cloudflare's OpenAPI schema), so check.mjs can compare every answer with them: each field the
// emulator sends must be declared, each required (non-optional) field must be there.
import { readFileSync } from 'node:fs';

const root = new URL('./node_modules/cloudflare/resources/', import.meta.url);
const cache = new Map();

const text = (file) => {
  if (!cache.has(file)) {
    // Comment lines are dropped: their examples hold braces that would upset the depth count.
    cache.set(file, readFileSync(new URL(file, root), 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\*\*|\/\/)/.test(l)));
  }
  return cache.get(file);
};

/** The declared fields of an interface: `Name` at the top level or `Outer.Inner` inside namespaces. */
export const fieldsOf = (file, path) => {
  const lines = text(file);
  const parts = path.split('.');
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const pattern = last ? new RegExp(`^\\s*(export )?interface ${part}( extends [^{]*)? \\{`) : new RegExp(`^\\s*(export )?(declare )?namespace ${part} \\{`);
    const found = lines.findIndex((l, n) => n >= at && pattern.test(l));
    if (found < 0) throw new Error(`${file}: no ${path}`);
    at = found;
  }
  const fields = new Set();
  const required = new Set();
  let depth = 0;
  for (let n = at; n < lines.length; n++) {
    const line = lines[n];
    if (depth === 1) {
      const m = /^\s*(\w+)(\?)?:/.exec(line);
      if (m) {
        fields.add(m[1]);
        if (!m[2]) required.add(m[1]);
      }
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth === 0 && n > at) break;
  }
  return { fields, required };
};

/** Compares one answer object with the interfaces it is declared by (several when one extends another). */
export const conform = (what, value, ...models) => {
  if (value === null || typeof value !== 'object') return [`${what}: not an object`];
  const declared = new Set();
  const required = new Set();
  for (const [file, path] of models) {
    const m = fieldsOf(file, path);
    m.fields.forEach((f) => declared.add(f));
    m.required.forEach((f) => required.add(f));
  }
  return [
    ...Object.keys(value).filter((k) => !declared.has(k)).map((k) => `${what}: field '${k}' is not in ${models.map((m) => m[1]).join(' + ')}`),
    ...[...required].filter((k) => !(k in value)).map((k) => `${what}: required field '${k}' is missing`),
  ];
};
