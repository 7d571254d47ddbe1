// Writes src/core/kine/k8sDescriptorData.ts: every message of the Kubernetes API modules (K8S_MODULES) with its fields
// in Go struct order, each with its JSON name, wire type and Go shape, and which group/version/kind is which message.
// The protos give the wire (numbers, types, repeated, maps); the Go json tags give what the API's JSON prints
// (names, omitempty, inline), which the protos alone do not (../shared/reference/k8s-protobuf.md §2, §3).
// Run: npm run gen:k8s-descriptor (builds, then runs out/scripts/k8s-descriptor/generate.js; needs the `go` command,
// which fetches the modules through the Go module proxy or its cache).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { K8S_MODULES, type GoModule } from './modules';
import { parseProtoFile, type ProtoField, type ProtoMessage } from './protoFile';
import { readGoStructs, readGroupName, type GoField, type GoStruct } from './goStructs';

// Run from out/scripts/k8s-descriptor: the repository is three levels up.
const OUT = join(__dirname, '../../../src/core/kine/k8sDescriptorData.ts');

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
/** Messages whose JSON comes from a hand-written MarshalJSON, not from their fields (k8s-protobuf.md §4). */
const SPECIAL: Record<string, string> = {
  [`${META}.Time`]: 'time',
  [`${META}.MicroTime`]: 'microtime',
  [`${META}.Duration`]: 'duration',
  [`${META}.FieldsV1`]: 'raw',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'raw',
  // apiextensions JSON (schema defaults, enums, examples) prints its raw bytes; the JSONSchemaPropsOr* unions are
  // not special-cased: CRDs are stored as JSON, so their protobuf never reaches a kine bucket.
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON': 'raw',
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1beta1.JSON': 'raw',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'intorstring',
};

function moduleDir({ module, version }: GoModule): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    encoding: 'utf8',
    cwd: dirname(OUT),
  });
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir)
    throw new Error(`go mod download gave no folder for ${module}@${version}; check the version and the Go proxy.`);
  return dir;
}

function protoFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...protoFiles(path));
    else if (entry === 'generated.proto') found.push(path);
  }
  return found;
}

interface ApiPackage {
  readonly dir: string;
  readonly pkg: string;
  readonly messages: ProtoMessage[];
  readonly structs: Map<string, GoStruct>;
  readonly group: string | undefined;
}

const packages: ApiPackage[] = [];
for (const mod of K8S_MODULES) {
  const root = moduleDir(mod);
  for (const file of protoFiles(root)) {
    const dir = dirname(file);
    if (
      relative(root, dir)
        .split('/')
        .some((p) => p === 'testdata' || p === 'internal' || p === 'example' || p === 'testapigroup')
    )
      continue;
    packages.push({
      dir,
      ...parseProtoFile(readFileSync(file, 'utf8')),
      structs: readGoStructs(dir),
      group: readGroupName(dir),
    });
  }
}

const byName = new Map<string, { p: ApiPackage; m: ProtoMessage }>();
for (const p of packages) for (const m of p.messages) byName.set(`${p.pkg}.${m.name}`, { p, m });
const names = [...byName.keys()].sort();
const index = new Map(names.map((n, i) => [n, i] as const));

const SCALARS = new Set([
  'string',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'bool',
  'bytes',
  'double',
  'float',
  'fixed32',
  'fixed64',
]);
function typeRef(type: string, pkg: string, scope: string): string | number {
  if (SCALARS.has(type)) return type;
  const candidates = type.includes('.')
    ? [type.replace(/^\./, ''), `${pkg}.${type}`]
    : [`${pkg}.${scope}.${type}`, `${pkg}.${type}`];
  for (const c of candidates) if (index.has(c)) return index.get(c)!;
  throw new Error(`type ${type} in ${pkg} is not defined in the modules read; add its module to modules.ts.`);
}

let unmatched = 0;
const messages = names.map((full) => {
  const { p, m } = byName.get(full)!;
  const special = SPECIAL[full] ?? (m.nullable ? 'array' : '');
  const struct = p.structs.get(m.name);
  const byNumber = new Map(m.fields.map((f) => [f.number, f]));
  const fields: (string | number)[][] = [];
  const encode = (f: ProtoField, go: GoField | undefined) => {
    let flags = '';
    if (go?.omitempty) flags += 'o';
    if (go?.omitzero) flags += 'z';
    if (go?.inline) flags += 'i';
    if (go?.goType.startsWith('*')) flags += 'p';
    if (f.label === 'repeated') flags += 'r';
    if (f.label === 'map') flags += 'm';
    const scope = m.name;
    const row: (string | number)[] = [
      f.number,
      go ? go.json : f.name,
      f.label === 'map' ? typeRef(f.mapValue!, p.pkg, scope) : typeRef(f.type, p.pkg, scope),
      flags,
    ];
    if (f.label === 'map' && f.mapKey !== 'string') row.push(f.mapKey!);
    return row;
  };
  if (struct && !special) {
    for (const go of struct.fields) {
      if (go.skip || go.number === undefined) continue;
      const f = byNumber.get(go.number);
      if (!f) continue;
      byNumber.delete(go.number);
      fields.push(encode(f, go));
    }
  }
  for (const f of byNumber.values()) {
    if (!special) {
      unmatched++;
      if (process.env.VERBOSE) console.log(`no Go json tag: ${full}.${f.name} = ${f.number}`);
    }
    fields.push(encode(f, undefined));
  }
  return special ? [full, special, fields] : [full, fields];
});

const groupVersions: Record<string, Record<string, number>> = {};
for (const p of packages) {
  if (p.group === undefined) continue;
  const gv = p.group ? `${p.group}/${basename(p.dir)}` : basename(p.dir);
  const kinds: Record<string, number> = {};
  for (const [name, s] of p.structs)
    if (s.typeMeta && index.has(`${p.pkg}.${name}`)) kinds[name] = index.get(`${p.pkg}.${name}`)!;
  if (Object.keys(kinds).length) groupVersions[gv] = Object.fromEntries(Object.entries(kinds).sort());
}

const modules = Object.fromEntries(K8S_MODULES.map((m) => [m.module, m.version]));
// One string literal, parsed on first use: cheap for the type checker, and the transpiled out/ tree needs no JSON file.
const json = JSON.stringify({ modules, messages, groupVersions });
writeFileSync(
  OUT,
  `// Generated by scripts/k8s-descriptor/generate.ts (npm run gen:k8s-descriptor) from ${K8S_MODULES.map((m) => `${m.module}@${m.version}`).join(', ')}. Do not edit.\nexport const K8S_DESCRIPTOR_JSON = ${JSON.stringify(json)};\n`,
);
const kinds = Object.values(groupVersions).reduce((n, k) => n + Object.keys(k).length, 0);
console.log(
  `${relative(process.cwd(), OUT)}: ${messages.length} messages, ${Object.keys(groupVersions).length} group/versions, ${kinds} kinds, ${unmatched} proto fields without a Go json tag`,
);
