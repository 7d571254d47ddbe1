import { scanLastPerSubject } from '../kine/lastPerSubjectScan';
import { MAX_LEFT_OUT_COUNTED, type KeyLevel } from './kvBrowser';
import { BucketNotFoundError } from './natsErrors';
import type { NatsAccess } from './session';
import { listSubjectPages, type SubjectListingOptions } from './subjectListing';

/**
 * A key level from the server's subject listing (paged stream info with `subjects_filter`), which costs about half
 * of streaming every key through `kv.keys()`. The listing counts stored subjects, so `descendants` includes keys
 * whose newest entry is a delete marker (the level says `estimated`); the keys of this level itself are then
 * refined with one headers-only scan of `prefix.*`, so a deleted key is not shown as a key and a key put again
 * after its delete is. Resolves undefined when the caller should walk the keys (`listKeyLevel`) instead: the server
 * ignored the filter, or the level's subjects do not fit one page of the listing (see SUBJECTS_PER_PAGE).
 */
export async function listKeyLevelFromSubjects(
  access: NatsAccess,
  bucket: string,
  prefix?: string,
  options: { maxChildren?: number } & SubjectListingOptions = {},
): Promise<(KeyLevel & { readonly estimated: true }) | undefined> {
  const nc = access.connection();
  const jsm = await access.jetstreamManager();
  const stream = `KV_${bucket}`;
  const subjectPrefix = `$KV.${bucket}.`;
  const max = options.maxChildren ?? 1_000;
  const cut = subjectPrefix.length + (prefix ? prefix.length + 1 : 0);
  const children = new Map<string, { isKey: boolean; descendants: number }>();
  const leftOutTokens = new Set<string>();
  let directKeys = 0;
  // No separate existence check (Kvm.open and status cost two round trips): the listing says 'stream not found'.
  const listed = await listSubjectPages(
    nc,
    jsm,
    stream,
    `${subjectPrefix}${prefix ? `${prefix}.` : ''}>`,
    (subjects) => {
      for (const subject in subjects) {
        const dot = subject.indexOf('.', cut);
        const token = dot < 0 ? subject.slice(cut) : subject.slice(cut, dot);
        let child = children.get(token);
        if (!child) {
          if (children.size >= max) {
            if (leftOutTokens.size < MAX_LEFT_OUT_COUNTED) leftOutTokens.add(token);
            continue;
          }
          child = { isKey: false, descendants: 0 };
          children.set(token, child);
        }
        if (dot < 0) {
          child.isKey = true;
          directKeys++;
        } else child.descendants++;
      }
    },
    { ...options, onePageOnly: true },
  ).catch((err: unknown) => {
    if ((err as { code?: number }).code === 10059) throw new BucketNotFoundError(bucket, err);
    throw err;
  });
  // The caller walks the keys instead: the server ignored the filter, or more than one page would be slower.
  if (!listed.supported || listed.tooMany) return undefined;
  if (directKeys > 0) {
    // Only this level's own keys are refined: deeper counts stay estimates until their level is opened.
    await scanLastPerSubject(
      nc,
      jsm,
      stream,
      `${subjectPrefix}${prefix ? `${prefix}.` : ''}*`,
      subjectPrefix,
      (e) => {
        if (!e.deleted) return;
        const token = prefix ? e.kvKey.slice(prefix.length + 1) : e.kvKey;
        const child = children.get(token);
        if (child) child.isKey = false;
      },
      { signal: options.signal },
    );
  }
  const list = [...children]
    .filter(([, c]) => c.isKey || c.descendants > 0)
    .map(([token, c]) => ({
      token,
      path: prefix ? `${prefix}.${token}` : token,
      isKey: c.isKey,
      descendants: c.descendants,
      estimated: true,
    }));
  list.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  return { bucket, prefix, children: list, leftOut: leftOutTokens.size, estimated: true };
}
