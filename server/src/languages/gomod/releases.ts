import table from './releases.json';
import { compareGoVersions } from './parser';

/**
 * The Go release table shipped with Shipshape (releases.json): major
 * releases, their dates and newest known patch. Go supports the two newest
 * major releases, so the oldest supported one follows from a date.
 */

export interface GoRelease {
  /** `1.26` */
  version: string;
  /** Release date of `x.y.0`, `YYYY-MM-DD`. */
  date: string;
  /** Newest patch release the table knows (`1.26.7`). */
  latestPatch?: string;
}

/** Date the table was last updated (`YYYY-MM-DD`); the docs state it. */
export const GO_RELEASES_AS_OF: string = table.asOf;

export const GO_RELEASES: readonly GoRelease[] = table.releases;

/**
 * The oldest Go release still supported on `today`: the older of the two
 * newest releases out by then. Releases after the table's date are not
 * known, so a stale table errs towards accepting older versions.
 */
export function oldestSupportedGo(today: Date): GoRelease | undefined {
  const day = today.toISOString().slice(0, 10);
  const out = GO_RELEASES.filter((r) => r.date <= day).sort((a, b) => compareGoVersions(b.version, a.version));
  return out[1] ?? out[0];
}

/** The table's entry for a version (`1.26.3` → the 1.26 release). */
export function goRelease(version: string): GoRelease | undefined {
  const major = version.split('.').slice(0, 2).join('.').replace(/(rc|beta|alpha)\d*$/, '');
  return GO_RELEASES.find((r) => r.version === major);
}
