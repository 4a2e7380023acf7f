/**
 * A one-line progress bar on stderr for long evaluations, benches and training runs (bench/, scripts/). Without
 * a terminal (CI, a log file) it prints a plain line per tenth, with the time left, instead of redrawing.
 */
export class ProgressBar {
  private readonly start = Date.now();
  private readonly tty = process.stderr.isTTY;
  private lastTenth = -1;
  private done = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  /** Redraws the bar at `done` of the total, with an optional note after it; ends the line when done. */
  tick(done = this.done + 1, note = '') {
    this.done = done;
    const el = (Date.now() - this.start) / 1000;
    if (!this.tty) {
      const q = Math.floor((done / Math.max(1, this.total)) * 10);
      if (q === this.lastTenth) return;
      this.lastTenth = q;
      const left = done ? ((el / done) * (this.total - done)).toFixed(0) : '?';
      process.stderr.write(`${this.label} ${done}/${this.total}  ${el.toFixed(0)}s elapsed, ~${left}s left ${note}\n`);
      return;
    }
    const w = 30;
    const k = Math.round((done / Math.max(1, this.total)) * w);
    const eta = done ? (el / done) * (this.total - done) : 0;
    process.stderr.write(`\r${this.label.padEnd(12)} [${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${this.total}  ${el.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left ${note}`);
    if (done === this.total) process.stderr.write('\n');
  }
}
