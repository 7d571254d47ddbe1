import type { ConnectRecipe } from '../connections/connectOptions';
import type { StreamSubjects } from './subjectTree';
import type { SamplerOptions, SamplerStats, SubjectChild } from './subjectSampler';

/** What the extension host tells the sampler's worker thread. */
export type ToSamplerWorker =
  | { readonly type: 'start'; readonly recipe: ConnectRecipe; readonly options: SamplerOptions }
  /** One level of the tree (the roots when `subject` is undefined), answered by a `level` with the same id. */
  | { readonly type: 'level'; readonly id: number; readonly subject: string | undefined }
  | { readonly type: 'streams'; readonly streams: readonly StreamSubjects[] }
  | { readonly type: 'reset' }
  | { readonly type: 'stop' };

/** What the worker reports: counters on every sampler tick and on stop, and answers to level requests. */
export type FromSamplerWorker =
  | { readonly type: 'stats'; readonly stats: SamplerStats }
  | { readonly type: 'level'; readonly id: number; readonly children: readonly SubjectChild[] };
