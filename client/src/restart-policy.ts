/**
 * How often a crashed server is restarted: at most `maxRestarts` crashes within
 * `windowMs`; after that the client stops and says so (a crash loop would only
 * spam the user). Pure, so it is unit-tested without VS Code.
 */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now`; true when the server should be restarted. */
  onCrash(now: number): boolean {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.maxRestarts;
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }

  /** After a manual restart the count starts over. */
  reset(): void {
    this.crashes = [];
  }

  describe(restarting: boolean): string {
    return restarting
      ? `The Shipshape server stopped unexpectedly; restarting it (${this.crashes.length} of ${this.maxRestarts} restarts allowed in ${Math.round(this.windowMs / 60_000)} min).`
      : `The Shipshape server crashed ${this.crashes.length} times in ${Math.round(this.windowMs / 60_000)} minutes and will not be restarted. See "Shipshape: Show Output", then run "Shipshape: Restart Server".`;
  }
}
