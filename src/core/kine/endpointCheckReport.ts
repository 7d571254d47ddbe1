import { escapeControl } from '../text/escapeControl';
import type { CheckLevel, EndpointCheckResult } from './endpointCheck';

const LABEL: Record<CheckLevel, string> = { ok: 'OK     ', error: 'ERROR  ', warning: 'WARNING', info: 'INFO   ' };

/** The check as sentences, one a line, for `nats-k3s kine endpoint --check` and the extension's document. */
export function endpointCheckLines(r: EndpointCheckResult): string[] {
  const errors = r.steps.filter((s) => s.level === 'error').length;
  return [
    `servers:     ${r.servers.map(escapeControl).join(', ') || '(from the context file)'}`,
    `bucket:      ${escapeControl(r.bucket)} (replicas ${r.replicas}, revHistory ${r.revHistory})`,
    '',
    ...r.steps.map((s) => `${LABEL[s.level]} ${escapeControl(s.message)}`),
    '',
    errors === 0
      ? 'Verdict: nothing here would stop kine from starting with this endpoint.'
      : `Verdict: ${errors} problem${errors === 1 ? '' : 's'} would stop kine or K3s; fix the ERROR lines first.`,
  ];
}

/** True when a step says kine would fail with this endpoint. */
export function hasCheckErrors(r: EndpointCheckResult): boolean {
  return r.steps.some((s) => s.level === 'error');
}
