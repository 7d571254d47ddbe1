/**
 * What Go's `url.User.String()` makes of a user name or password: kine splits that re-encoded text at ':' and hands
 * the pieces to NATS as they are (kine 0.17.5 `pkg/drivers/nats/config.go`), so this is what the server receives.
 * Go keeps letters, digits, `-_.~` and `$&+,;=` and percent-encodes every other byte (net/url `shouldEscape`,
 * encodeUserPassword).
 */
export function goUserinfoEscape(decoded: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(decoded)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~$&+,;=]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** True when kine would send `secret` to NATS changed (percent-encoded), so a server holding `secret` refuses it. */
export function kineMangles(secret: string): boolean {
  return goUserinfoEscape(secret) !== secret;
}
