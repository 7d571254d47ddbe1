// Plain data shared by the values analysis, completion, hover, migration and the CLI.

/** The two values layouts the chart has had: 0.x, and 1.x/2.x (2.x is 1.x renumbered). */
export type ValuesLayout = '0.x' | '2.x';

export interface ChartVersion {
  layout: ValuesLayout;
  /** The exact chart version when one was given (`1.3.16`), for version-specific checks. */
  exact?: string;
  /**
   * Where the version came from: the file's modeline, a file that pins it (pinnedChart.ts), the release it was
   * installed into (installedRelease.ts), the setting or flag, else the newest.
   */
  source: 'modeline' | 'chart-yaml' | 'chart-lock' | 'helmfile' | 'argocd' | 'release' | 'setting' | 'default';
  /** For a pin or a release: `chart 1.3.14 from ../Chart.yaml`. */
  origin?: string;
}

/** 0-based, like VS Code's Position. */
export interface TextPosition {
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
  startOffset: number;
  endOffset: number;
}

export interface TextEdit {
  range: TextRange;
  newText: string;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'information';

/** Stable kebab-case names, printed by `nats-k3s lint --format json`. */
export type ValuesDiagnosticCode =
  | 'yaml-syntax'
  | 'duplicate-key'
  | 'tab-indentation'
  | 'binary-content'
  | 'file-too-large'
  | 'limit-exceeded'
  | 'undefined-alias'
  | 'collection-key'
  | 'multiple-documents'
  | 'unknown-key'
  | 'wrong-type'
  | 'bad-enum'
  | 'bad-value'
  | 'legacy-chart-key'
  | 'legacy-layout'
  | 'other-chart'
  | 'chart-check'
  // From `helm template` with the real chart (src/core/renderChecks), not from the text alone.
  | 'render-check'
  | 'render-failed';

export interface ValuesFix {
  title: string;
  /** Ready edits, when the fix is cheap to compute. */
  edits?: TextEdit[];
  /** A legacy key to migrate; turn it into edits with `resolveFixEdits`. */
  migratePath?: string[];
}

export interface ValuesDiagnostic {
  range: TextRange;
  severity: DiagnosticSeverity;
  code: ValuesDiagnosticCode;
  /** Dotted values path of the offending key (`config.jetstream.enabled`); empty for the whole file. */
  path: string;
  message: string;
  /** For `chart-check` and `render-check`: which check, e.g. `jetstream-replicas`, `quoted-size`. */
  check?: string;
  fix?: ValuesFix;
}

export interface ValuesAnalysis {
  chartVersion: ChartVersion;
  /** Path prefix of the chart values inside the file: `['nats']` in an umbrella chart, else empty. */
  valuesRoot: string[];
  diagnostics: ValuesDiagnostic[];
}

/** Formats a path as `a.b[0].c`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}
