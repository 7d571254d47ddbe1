import { K8S_DESCRIPTOR_JSON } from './k8sDescriptorData';

/**
 * One field of an API message in Go struct order: its protobuf number, JSON name (empty when inline), type (a scalar
 * name or a message index) and Go shape as letters: o omitempty, z omitzero, i inline, p pointer, r repeated (a
 * slice), m map (the type is the value's). A sixth element names a map key type other than string.
 */
export type FieldDescriptor = [number: number, json: string, type: string | number, flags: string, mapKey?: string];

/** How a message's JSON is written: by its fields, or by a hand-written MarshalJSON (k8s-protobuf.md §4). */
export type SpecialKind = 'time' | 'microtime' | 'duration' | 'raw' | 'quantity' | 'intorstring' | 'array';

export type MessageDescriptor =
  | [name: string, fields: FieldDescriptor[]]
  | [name: string, special: SpecialKind, fields: FieldDescriptor[]];

export interface K8sDescriptor {
  /** The Go modules it was generated from, each with the versions (one a Kubernetes minor line) merged. */
  readonly modules: Readonly<Record<string, readonly string[]>>;
  readonly messages: readonly MessageDescriptor[];
  /** apiVersion (`apps/v1`, `v1`) → kind → message index. */
  readonly groupVersions: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

let parsed: K8sDescriptor | undefined;

/** The generated descriptor of the built-in API types, parsed on first use. */
export function k8sDescriptor(): K8sDescriptor {
  parsed ??= JSON.parse(K8S_DESCRIPTOR_JSON) as K8sDescriptor;
  return parsed;
}

/** The message index of a stored kind, or undefined when the descriptor does not know it. */
export function messageOfKind(apiVersion: string, kind: string, descriptor = k8sDescriptor()): number | undefined {
  return Object.hasOwn(descriptor.groupVersions, apiVersion) &&
    Object.hasOwn(descriptor.groupVersions[apiVersion], kind)
    ? descriptor.groupVersions[apiVersion][kind]
    : undefined;
}

export function fieldsOf(message: MessageDescriptor): FieldDescriptor[] {
  return message.length === 3 ? message[2] : message[1];
}

export function specialOf(message: MessageDescriptor): SpecialKind | undefined {
  return message.length === 3 ? message[1] : undefined;
}
