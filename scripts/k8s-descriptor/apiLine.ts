// Reads one Kubernetes minor line: every generated.proto of the API modules at that version, joined with the Go
// structs beside it (JSON names and shapes come from the Go json tags; k8s-protobuf.md §2, §3), into messages whose
// fields name their types by full protobuf name, and which group/version/kind is which message.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { readGoStructs, readGroupName, type GoField, type GoStruct } from './goStructs';
import type { ApiLine, NamedField, NamedMessage } from './mergeLines';
import { parseProtoFile, type ProtoField, type ProtoMessage } from './protoFile';

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

interface ApiPackage {
  readonly dir: string;
  readonly pkg: string;
  readonly messages: ProtoMessage[];
  readonly structs: Map<string, GoStruct>;
  readonly group: string | undefined;
}

/** The module's folder in the Go module cache, downloaded through the Go module proxy when missing. */
function moduleDir(module: string, version: string, cwd: string): string {
  // -mod=mod: module mode whatever the environment says, so the module cache (or the proxy) is what is read.
  let out: string;
  try {
    out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
      encoding: 'utf8',
      cwd,
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        'The go command is not on PATH: install Go 1.26 or newer, as scripts/setup.sh does, and run again.',
      );
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(
      `go mod download ${module}@${version} failed (${stderr.split('\n').at(-1) || 'no message'}); check the version and the Go module proxy.`,
    );
  }
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

export interface LineSummary {
  /** Proto fields the Go structs give no json tag (kept by their proto name). */
  unmatched: number;
}

export function readApiLine(
  modules: readonly string[],
  version: string,
  cwd: string,
  summary: LineSummary = { unmatched: 0 },
): ApiLine {
  const packages: ApiPackage[] = [];
  for (const module of modules) {
    const root = moduleDir(module, version, cwd);
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

  const typeRef = (type: string, pkg: string, scope: string): string => {
    if (SCALARS.has(type)) return type;
    const candidates = type.includes('.')
      ? [type.replace(/^\./, ''), `${pkg}.${type}`]
      : [`${pkg}.${scope}.${type}`, `${pkg}.${type}`];
    for (const c of candidates) if (byName.has(c)) return c;
    throw new Error(
      `type ${type} in ${pkg} at ${version} is not defined in the modules read; add its module to modules.ts.`,
    );
  };

  const messages = new Map<string, NamedMessage>();
  for (const [full, { p, m }] of byName) {
    const special = SPECIAL[full] ?? (m.nullable ? 'array' : undefined);
    const struct = p.structs.get(m.name);
    const byNumber = new Map(m.fields.map((f) => [f.number, f]));
    const fields: NamedField[] = [];
    const named = (f: ProtoField, go: GoField | undefined): NamedField => {
      let flags = '';
      if (go?.omitempty) flags += 'o';
      if (go?.omitzero) flags += 'z';
      if (go?.inline) flags += 'i';
      if (go?.goType.startsWith('*')) flags += 'p';
      if (f.label === 'repeated') flags += 'r';
      if (f.label === 'map') flags += 'm';
      return {
        number: f.number,
        json: go ? go.json : f.name,
        type: f.label === 'map' ? typeRef(f.mapValue!, p.pkg, m.name) : typeRef(f.type, p.pkg, m.name),
        flags,
        ...(f.label === 'map' && f.mapKey !== 'string' ? { mapKey: f.mapKey } : {}),
      };
    };
    if (struct && !special) {
      for (const go of struct.fields) {
        if (go.skip || go.number === undefined) continue;
        const f = byNumber.get(go.number);
        if (!f) continue;
        byNumber.delete(go.number);
        fields.push(named(f, go));
      }
    }
    for (const f of byNumber.values()) {
      if (!special) {
        summary.unmatched++;
        if (process.env.VERBOSE) console.log(`no Go json tag at ${version}: ${full}.${f.name} = ${f.number}`);
      }
      fields.push(named(f, undefined));
    }
    messages.set(full, special ? { special, fields } : { fields });
  }

  const groupVersions = new Map<string, Map<string, string>>();
  for (const p of packages) {
    if (p.group === undefined) continue;
    const gv = p.group ? `${p.group}/${basename(p.dir)}` : basename(p.dir);
    const kinds = new Map<string, string>();
    for (const [name, s] of p.structs)
      if (s.typeMeta && byName.has(`${p.pkg}.${name}`)) kinds.set(name, `${p.pkg}.${name}`);
    if (kinds.size) groupVersions.set(gv, kinds);
  }
  return { version, messages, groupVersions };
}
