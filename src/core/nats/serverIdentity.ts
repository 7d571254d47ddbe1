/**
 * A server started without `server_name` reports its 56-character ID as its name; a row then shows no name (the ID
 * goes to the tooltip) instead of repeating the ID.
 */
export function serverIdentity(info: { readonly serverName: string; readonly serverId: string }): { name?: string } {
  const name = info.serverName?.trim();
  return name && name !== info.serverId ? { name } : {};
}
