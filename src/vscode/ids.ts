/** Every identifier that package.json declares and the code refers to, in one place. */
export const VIEW_CONTAINER = 'natsK3s';
export const CONNECTIONS_VIEW = 'natsK3s.connections';

export const Commands = {
  refreshConnections: 'natsK3s.connections.refresh',
  retryConnection: 'natsK3s.connection.retry',
  addConnection: 'natsK3s.connection.add',
  setSecret: 'natsK3s.connection.setSecret',
  connect: 'natsK3s.connection.connect',
  disconnect: 'natsK3s.connection.disconnect',
  removeConnection: 'natsK3s.connection.remove',
  editConnection: 'natsK3s.connection.edit',
  showLog: 'natsK3s.showLog',
  streamInfo: 'natsK3s.stream.info',
  viewMessages: 'natsK3s.stream.viewMessages',
  purgeStream: 'natsK3s.stream.purge',
  deleteStream: 'natsK3s.stream.delete',
  consumerInfo: 'natsK3s.consumer.info',
  deleteConsumer: 'natsK3s.consumer.delete',
  kvShowValue: 'natsK3s.kv.showValue',
  kvHistory: 'natsK3s.kv.history',
  kvPut: 'natsK3s.kv.put',
  kvDelete: 'natsK3s.kv.delete',
  kvPurge: 'natsK3s.kv.purge',
  kvWatch: 'natsK3s.kv.watch',
  kvCreateBucket: 'natsK3s.kv.createBucket',
  kvEditBucket: 'natsK3s.kv.editBucket',
  kvRevert: 'natsK3s.kv.revert',
  tailSubject: 'natsK3s.subject.tail',
  publish: 'natsK3s.publish',
  migrateValues: 'natsK3s.values.migrate',
  kineOpen: 'natsK3s.kine.open',
  kineReveal: 'natsK3s.kine.reveal',
  kineHistory: 'natsK3s.kine.history',
  kineHealth: 'natsK3s.kine.health',
  kineExport: 'natsK3s.kine.export',
  kineToggleDeleted: 'natsK3s.kine.toggleDeleted',
  prepareDatastore: 'natsK3s.kine.prepareDatastore',
  checkDatastoreEndpoint: 'natsK3s.kine.checkEndpoint',
  treatAsValues: 'natsK3s.values.treatAsValues',
  renderCheckValues: 'natsK3s.values.renderCheck',
  request: 'natsK3s.request',
  stopSample: 'natsK3s.subjects.stopSample',
  servicesShow: 'natsK3s.services.show',
  servicesRefresh: 'natsK3s.services.refresh',
  serviceRequest: 'natsK3s.service.request',
  clusterServers: 'natsK3s.cluster.servers',
  clusterHealth: 'natsK3s.cluster.jetstreamHealth',
  clusterAccount: 'natsK3s.cluster.account',
  clusterConnections: 'natsK3s.cluster.connections',
} as const;

export const Settings = {
  section: 'natsK3s',
  defaultServerUrl: 'defaultServerUrl',
  connections: 'connections',
  showCliContexts: 'showCliContexts',
  showSystemStreams: 'showSystemStreams',
  readOnly: 'readOnly',
  maxSubjects: 'subjects.maxSubjects',
  valuesFiles: 'values.files',
  kineShowDeleted: 'kine.showDeleted',
  valuesChartVersion: 'values.chartVersion',
  valuesRenderOnSave: 'values.renderOnSave',
  sampleSeconds: 'subjects.sampleSeconds',
  refreshSeconds: 'explorer.refreshSeconds',
} as const;

/**
 * Settings that name programs, kubeconfigs, credential files or servers: package.json's
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`, whose workspace values VS Code ignores in Restricted Mode.
 */
export const RESTRICTED_SETTINGS = [
  'natsK3s.defaultServerUrl',
  'natsK3s.connections',
  'natsK3s.kubeconfig',
  'natsK3s.helmPath',
  'natsK3s.kubectlPath',
  'natsK3s.helm.chart',
  'natsK3s.helm.repository',
] as const;

/** VS Code's own command that opens the Workspace Trust editor. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
