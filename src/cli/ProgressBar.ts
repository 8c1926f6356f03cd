/** Where a progress bar draws: stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Draw nothing until the operation has run this long, so small tables print no bar. Default 300 ms. */
  delayMillis?: number;
  /** Redraw at most this often. Default 100 ms. */
  intervalMillis?: number;
  /** The clock, in milliseconds. Default Date.now. */
  now?: () => number;
}

/**
 * A one-line progress bar (`verify  [#######.....]  58%  5,800/10,000`) redrawn in place,
 * for export, verify and purge on large tables. It draws only on a terminal (`isTTY`), so
 * piped or redirected output stays clean, and only once the operation has lasted
 * `delayMillis`. `finish()` erases it.
 */
export class ProgressBar {
  private readonly _stream: ProgressStream;
  private readonly _label: string;
  private readonly _delay: number;
  private readonly _interval: number;
  private readonly _now: () => number;
  private readonly _started: number;
  private _lastDraw = -Infinity;
  private _drawn = false;

  constructor(stream: ProgressStream, label: string, options: ProgressBarOptions = {}) {
    this._stream = stream;
    this._label = label;
    this._delay = options.delayMillis ?? 300;
    this._interval = options.intervalMillis ?? 100;
    this._now = options.now ?? Date.now;
    this._started = this._now();
  }

  /** Reports `done` of `total` units (rows); `total` <= 1 shows an indeterminate "working" line. */
  update(done: number, total: number): void {
    if (!this._stream.isTTY) return;
    const now = this._now();
    if (now - this._started < this._delay || now - this._lastDraw < this._interval) return;
    this._lastDraw = now;
    this._drawn = true;
    this._stream.write(`\r\x1b[2K${this._line(done, total, now)}`);
  }

  /** Erases the bar (if one was drawn), leaving the cursor at the start of an empty line. */
  finish(): void {
    if (this._drawn) this._stream.write('\r\x1b[2K');
    this._drawn = false;
  }

  private _line(done: number, total: number, now: number): string {
    const width = Math.max(20, (this._stream.columns ?? 80) - 1);
    if (total <= 1) return `${this._label}  working… ${Math.round((now - this._started) / 1000)}s`.slice(0, width);
    const ratio = Math.min(1, Math.max(0, done / total));
    const counts = `${Math.round(ratio * 100)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
    const barWidth = Math.max(10, Math.min(40, width - this._label.length - counts.length - 8));
    const filled = Math.round(ratio * barWidth);
    return `${this._label}  [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]  ${counts}`.slice(0, width);
  }
}
