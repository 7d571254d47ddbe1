/** Every identifier that package.json declares and the code refers to, in one place. */
export const VIEW_CONTAINER = 'natsK3s';
export const CONNECTIONS_VIEW = 'natsK3s.connections';

export const Commands = {
  refreshConnections: 'natsK3s.connections.refresh',
  showLog: 'natsK3s.showLog',
} as const;

export const Settings = {
  section: 'natsK3s',
  defaultServerUrl: 'defaultServerUrl',
} as const;

/** `contextValue`s of tree items, matched by `viewItem ==` in package.json menus. */
export type ContextValue = 'connection' | 'serverInfo' | 'error';
