/**
 * The results of the analyses run on one unit (a parsed file, a text, a
 * package view), created with the unit by the engine and dropped with it.
 * Only `core/analysis.ts` reads and writes it.
 */
export class AnalysisSlot {
  private readonly results = new Map<string, unknown>();
  /** Analyses being built (cycle guard). */
  readonly building = new Set<string>();

  get(id: string): { found: true; value: unknown } | { found: false } {
    return this.results.has(id) ? { found: true, value: this.results.get(id) } : { found: false };
  }

  set(id: string, value: unknown): void {
    this.results.set(id, value);
  }

  /** Ids of the results held (tests, diagnostics). */
  ids(): string[] {
    return [...this.results.keys()];
  }
}
