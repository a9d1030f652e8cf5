import type { Figures } from '../core/finding';
import type { FigureMeta, RuleMeta } from '../engine/rule';

/**
 * The one way figures read (style: one mechanism, no per-rule host code):
 * a finding's figures, labelled and formatted by its rule's `meta.figures`,
 * in the order the rule declares them. Both hosts may use it; it imports no host.
 */

export interface FigureLine {
  name: string;
  label: string;
  text: string;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `96 B`, `1.5 KiB`, `400 MiB` (binary units, as GOMEMLIMIT and Kubernetes `Mi` count). */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let unit = 0;
  while (v >= 1024 && unit < BINARY_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  const digits = unit === 0 || v >= 100 || Number.isInteger(v) ? 0 : v >= 10 ? 1 : 2;
  return `${sign}${Number(v.toFixed(digits))} ${BINARY_UNITS[unit]}`;
}

export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(Number(n.toFixed(2)));
}

/** One figure's value as its unit reads. */
export function formatFigure(value: number | string, unit: FigureMeta['unit']): string {
  if (typeof value === 'string') return value;
  switch (unit) {
    case 'bytes': {
      const human = formatBytes(value);
      return Math.abs(value) < 1024 ? human : `${human} (${formatCount(value)} bytes)`;
    }
    case 'cpu':
      return `${formatCount(value)} CPU${value === 1 ? '' : 's'}${Number.isInteger(value) ? '' : ` (${Math.round(value * 1000)}m)`}`;
    case 'ratio':
      return `${formatCount(value)}×`;
    case 'count':
      return formatCount(value);
    default:
      return String(value);
  }
}

/** A finding's figures as labelled lines: declared ones in `meta.figures` order, undeclared ones after, under their own name. */
export function figureLines(figures: Figures | undefined, meta: Pick<RuleMeta, 'figures'> | undefined): FigureLine[] {
  if (!figures) return [];
  const declared = meta?.figures ?? {};
  const names = [...Object.keys(declared).filter((n) => n in figures), ...Object.keys(figures).filter((n) => !(n in declared))];
  return names.map((name) => {
    const m = declared[name] as FigureMeta | undefined;
    return { name, label: m?.label ?? name, text: formatFigure(figures[name], m?.unit ?? 'text') };
  });
}
