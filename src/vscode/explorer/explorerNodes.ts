import type { ServerRow } from '../../core/nats/cluster/clusterServers';
import type { KeyLevelChild, BucketSummary } from '../../core/nats/kvBrowser';
import type { SubjectChild } from '../../core/nats/subjectSampler';
import type { KeyNode, NamespaceNode, ResourceTypeNode } from '../../core/kine/kineLevels';
import type { ConsumerSummary, StreamSummary } from '../../core/nats/streams';
import type { ObjectView } from '../../core/nats/objectStore/objectEntries';
import type { ObjectStoreSummary } from '../../core/nats/objectStore/objectStores';
import type { ServiceEndpoint, ServiceGroup, ServiceInstance } from '../../core/nats/services/serviceDiscovery';
import type { Fix } from '../commandRunner';
import type { ManagedConnection } from './connectionManager';

/** Every node of the NATS explorer, as plain data; `kind` doubles as the tree item's contextValue. */
export type ExplorerNode =
  | { readonly kind: 'connection'; readonly conn: ManagedConnection }
  | { readonly kind: 'server'; readonly conn: ManagedConnection }
  | { readonly kind: 'cluster'; readonly conn: ManagedConnection }
  | { readonly kind: 'clusterServer'; readonly conn: ManagedConnection; readonly server: ServerRow }
  | { readonly kind: 'subjects'; readonly conn: ManagedConnection }
  | { readonly kind: 'subject'; readonly conn: ManagedConnection; readonly child: SubjectChild }
  | { readonly kind: 'streams'; readonly conn: ManagedConnection }
  | { readonly kind: 'stream'; readonly conn: ManagedConnection; readonly stream: StreamSummary }
  | { readonly kind: 'consumer'; readonly conn: ManagedConnection; readonly consumer: ConsumerSummary }
  | { readonly kind: 'buckets'; readonly conn: ManagedConnection }
  | { readonly kind: 'bucket'; readonly conn: ManagedConnection; readonly bucket: BucketSummary }
  | { readonly kind: 'kvKey'; readonly conn: ManagedConnection; readonly bucket: string; readonly child: KeyLevelChild }
  | { readonly kind: 'objectStores'; readonly conn: ManagedConnection }
  | { readonly kind: 'objectStore'; readonly conn: ManagedConnection; readonly store: ObjectStoreSummary }
  | { readonly kind: 'object'; readonly conn: ManagedConnection; readonly object: ObjectView }
  | { readonly kind: 'services'; readonly conn: ManagedConnection }
  | { readonly kind: 'service'; readonly conn: ManagedConnection; readonly group: ServiceGroup }
  | { readonly kind: 'serviceInstance'; readonly conn: ManagedConnection; readonly instance: ServiceInstance }
  | {
      readonly kind: 'serviceEndpoint';
      readonly conn: ManagedConnection;
      readonly instance: ServiceInstance;
      readonly endpoint: ServiceEndpoint;
    }
  | {
      readonly kind: 'kineType';
      readonly conn: ManagedConnection;
      readonly bucket: string;
      readonly type: ResourceTypeNode;
    }
  | {
      readonly kind: 'kineNamespace';
      readonly conn: ManagedConnection;
      readonly bucket: string;
      readonly type: ResourceTypeNode;
      readonly ns: NamespaceNode;
    }
  | {
      readonly kind: 'kineOther';
      readonly conn: ManagedConnection;
      readonly bucket: string;
      readonly keys: number;
      readonly estimated?: boolean;
    }
  | { readonly kind: 'kineObject'; readonly conn: ManagedConnection; readonly bucket: string; readonly key: KeyNode }
  | {
      readonly kind: 'info';
      readonly label: string;
      readonly description?: string;
      readonly tooltip?: string;
      readonly icon: string;
      readonly command?: Fix;
    }
  /** `fix`: the button of the error the node stands for (Manage Workspace Trust, …), run when the node is clicked. */
  | { readonly kind: 'error'; readonly label: string; readonly conn?: ManagedConnection; readonly fix?: Fix }
  | { readonly kind: 'empty'; readonly label: string };

export type ExplorerNodeKind = ExplorerNode['kind'];

/** Nodes that belong to a connection, for commands that need one. */
export type ConnectionScoped = Extract<ExplorerNode, { conn: ManagedConnection }>;
