import type { AuditSummary } from '../../server/src/host-shared/protocol';

/** The message shown when an audit ends. Pure, unit-tested. */
export function formatAuditSummary(s: AuditSummary): string {
  const findings = s.findings.error + s.findings.warning + s.findings.info;
  const parts = [
    `${s.cancelled ? 'Audit cancelled after' : 'Audited'} ${s.files} file${s.files === 1 ? '' : 's'} in ${formatDuration(s.durationMs)}:`,
    findings === 0 ? 'no findings' : `${s.findings.error} error(s), ${s.findings.warning} warning(s), ${s.findings.info} info`,
  ];
  if (s.skipped.length) {
    const byReason = new Map<string, number>();
    for (const k of s.skipped) byReason.set(k.reason, (byReason.get(k.reason) ?? 0) + 1);
    parts.push(`— skipped ${s.skipped.length} (${[...byReason].map(([r, n]) => `${n} ${r}`).join(', ')})`);
  }
  return parts.join(' ');
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
