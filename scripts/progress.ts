/** A one-line progress bar on stderr for long evaluations and training runs (bench/, scripts/). */
export class ProgressBar {
  private readonly start = Date.now();
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  /** Redraws the bar at `done` of the total, with an optional note after it; ends the line when done. */
  tick(done: number, note = '') {
    const w = 30;
    const k = Math.round((done / Math.max(1, this.total)) * w);
    const el = (Date.now() - this.start) / 1000;
    const eta = done ? (el / done) * (this.total - done) : 0;
    process.stderr.write(`\r${this.label.padEnd(12)} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${this.total}  ${el.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left ${note}`);
    if (done === this.total) process.stderr.write('\n');
  }
}
