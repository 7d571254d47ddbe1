/**
 * The newest entry of every key of one resource type, in a few typed arrays instead of one object per key: a
 * namespace id, the name token's bytes, the revision and a deleted flag. About 20 bytes plus the name per key, so a
 * million keys fit in tens of megabytes where objects with their own key strings took about 800 MB.
 */
export class TypeKeys {
  private count = 0;
  private nsOf = new Int32Array(1024);
  private revisionOf = new Float64Array(1024);
  private deletedOf = new Uint8Array(1024);
  /** Name token i is `names[nameAt[i] .. nameAt[i + 1])`, UTF-8. */
  private nameAt = new Uint32Array(1025);
  private names = Buffer.allocUnsafe(16 * 1024);
  private readonly nsTokens: string[] = [];
  private readonly nsIds = new Map<string, number>();
  /** Live and deleted keys per namespace id: the namespace level comes from these counts, not from the keys. */
  private nsLive: number[] = [];
  private nsDeleted: number[] = [];
  private live = 0;

  /** Keys stored. */
  get size(): number {
    return this.count;
  }

  get liveKeys(): number {
    return this.live;
  }

  get deletedKeys(): number {
    return this.count - this.live;
  }

  /** True once a key sits under a namespace token (`<type>.<namespace>.<name>`). */
  get namespaced(): boolean {
    return this.nsTokens.length > 0;
  }

  /** Adds one key's newest entry; `nsToken` undefined for a cluster-scoped key. */
  add(nsToken: string | undefined, nameToken: string, revision: number, deleted: boolean): void {
    if (this.count === this.nsOf.length) this.grow();
    let ns = -1;
    if (nsToken !== undefined) {
      ns = this.nsIds.get(nsToken) ?? -1;
      if (ns < 0) {
        ns = this.nsTokens.length;
        this.nsIds.set(nsToken, ns);
        this.nsTokens.push(nsToken);
        this.nsLive.push(0);
        this.nsDeleted.push(0);
      }
      if (deleted) this.nsDeleted[ns]++;
      else this.nsLive[ns]++;
    }
    const i = this.count++;
    this.nsOf[i] = ns;
    this.revisionOf[i] = revision;
    this.deletedOf[i] = deleted ? 1 : 0;
    if (!deleted) this.live++;
    const at = this.nameAt[i];
    const need = at + Buffer.byteLength(nameToken, 'utf8');
    if (need > this.names.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.names.length * 2));
      this.names.copy(bigger, 0, 0, at);
      this.names = bigger;
    }
    this.nameAt[i + 1] = at + this.names.write(nameToken, at, 'utf8');
  }

  /** Namespace tokens with their live and deleted key counts, in insertion order. */
  namespaceCounts(): { token: string; live: number; deleted: number }[] {
    return this.nsTokens.map((token, i) => ({ token, live: this.nsLive[i], deleted: this.nsDeleted[i] }));
  }

  /**
   * Calls `visit` for every key directly under the namespace token (or, with `nsToken` undefined, every
   * cluster-scoped key); nothing when the namespace is unknown.
   */
  forEachIn(nsToken: string | undefined, visit: (nameToken: string, revision: number, deleted: boolean) => void): void {
    const ns = nsToken === undefined ? -1 : (this.nsIds.get(nsToken) ?? -2);
    if (ns === -2) return;
    for (let i = 0; i < this.count; i++) {
      if (this.nsOf[i] !== ns) continue;
      visit(
        this.names.toString('utf8', this.nameAt[i], this.nameAt[i + 1]),
        this.revisionOf[i],
        this.deletedOf[i] === 1,
      );
    }
  }

  /** The highest revision stored (0 when empty). */
  maxRevision(): number {
    let max = 0;
    for (let i = 0; i < this.count; i++) if (this.revisionOf[i] > max) max = this.revisionOf[i];
    return max;
  }

  /** Bytes held by the arrays (for benchmarks and tests of the bound). */
  bytes(): number {
    return (
      this.nsOf.byteLength +
      this.revisionOf.byteLength +
      this.deletedOf.byteLength +
      this.nameAt.byteLength +
      this.names.length
    );
  }

  private grow(): void {
    const n = this.nsOf.length * 2;
    const ns = new Int32Array(n);
    ns.set(this.nsOf);
    this.nsOf = ns;
    const rev = new Float64Array(n);
    rev.set(this.revisionOf);
    this.revisionOf = rev;
    const del = new Uint8Array(n);
    del.set(this.deletedOf);
    this.deletedOf = del;
    const at = new Uint32Array(n + 1);
    at.set(this.nameAt);
    this.nameAt = at;
  }
}
