// The terminal side of the library's progress events: a live bar on a terminal, a plain line every
// few seconds in CI logs, nothing when quiet, or one JSON object per line (NDJSON) for tools.
import type { ProgressEvent } from '../run/engine.js';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'quiet' | 'json';

/** A stream progress can be written to (process.stderr, or a test's collector). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Picks the mode: `json` when asked for, then `quiet`, then a bar on a terminal that is not CI,
 * else plain lines (CI logs, pipes, files). `CI` set to anything but `false`/`0` counts as CI.
 */
export function chooseProgressMode(choice: { json?: boolean; quiet?: boolean; stream: ProgressStream; env?: NodeJS.ProcessEnv }): ProgressMode {
  if (choice.json) return 'json';
  if (choice.quiet) return 'quiet';
  const ci = choice.env?.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return choice.stream.isTTY && !inCi ? 'bar' : 'lines';
}

/** Options for {@link createProgress}. */
export interface ProgressOptions {
  mode: ProgressMode;
  stream: ProgressStream;
  /** Plain-line mode: at most one line per this many ms (default: 5,000; 0 = one per page). */
  intervalMs?: number;
  /** Bar mode: redraw at most this often, in ms (default: 100). */
  redrawMs?: number;
  /** Clock in ms (default: `performance.now`); tests pass their own. */
  now?: () => number;
}

/** What is known so far, the input of the formatters. */
export interface ProgressState {
  total: number;
  done: number;
  failed: number;
  cached: number;
  retries: number;
  /** ms since the run started. */
  elapsedMs: number;
}

/** A progress display: feed it the library's events; `log` prints a line without breaking the bar. */
export interface Progress {
  onProgress(event: ProgressEvent): void;
  log(line: string): void;
  /** Ends the display (stops timers, leaves the cursor on a fresh line). */
  finish(): void;
  readonly state: Readonly<ProgressState>;
}

/**
 * A progress display for `mode`. Wire it as `onProgress: progress.onProgress` on renderFiles /
 * renderSources, and call `finish()` when the run is over (also after an error).
 */
export function createProgress(options: ProgressOptions): Progress {
  const { mode, stream } = options;
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 5_000;
  const redrawMs = options.redrawMs ?? 100;
  let began = now();
  const state: ProgressState = { total: 0, done: 0, failed: 0, cached: 0, retries: 0, elapsedMs: 0 };
  let barShown = false;
  let lastDraw = -Infinity;
  let lastLine = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  const update = () => { state.elapsedMs = now() - began; };
  const clearBar = () => {
    if (barShown) stream.write('\r\x1b[2K');
    barShown = false;
  };
  const drawBar = (force = false) => {
    update();
    const t = now();
    if (!force && t - lastDraw < redrawMs) return;
    lastDraw = t;
    stream.write(`\r\x1b[2K${formatBar(state, stream.columns ?? 80)}`);
    barShown = true;
  };
  const printLine = (force = false) => {
    update();
    const t = now();
    if (!force && t - lastLine < intervalMs) return;
    lastLine = t;
    stream.write(`${formatLine(state)}\n`);
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const progress: Progress = {
    state,
    onProgress(event) {
      if (finished) return;
      switch (event.type) {
        case 'start':
          began = now();
          state.total = event.total;
          if (mode === 'lines' && intervalMs > 0) {
            // A slow page must not leave a CI log silent: print on a clock too.
            timer = setInterval(() => printLine(), intervalMs);
            timer.unref();
          }
          break;
        case 'page':
          state.done = event.done;
          state.total = event.total;
          if (event.page.status === 'failed') state.failed++;
          if (event.cached) state.cached++;
          break;
        case 'retry':
          state.retries++;
          break;
        case 'end':
          state.done = event.totals.pages;
          state.total = Math.max(state.total, event.totals.pages);
          state.failed = event.totals.failedPages;
          break;
        default:
          break;
      }
      if (mode === 'json') {
        update();
        stream.write(`${JSON.stringify(toJsonEvent(event, state.elapsedMs))}\n`);
      } else if (mode === 'bar') {
        if (event.type === 'page' && event.page.status === 'failed') progress.log(`✗ ${event.page.error?.message ?? event.page.input}`);
        else if (event.type === 'retry') progress.log(`↻ ${event.input}: ${event.reason}; trying it once more`);
        else if (event.type === 'browser-restart') progress.log(`↻ browser restarted: ${event.reason}`);
        if (event.type === 'end') {
          drawBar(true);
          stream.write('\n');
          barShown = false;
        } else drawBar(event.type === 'start');
      } else if (mode === 'lines') {
        if (event.type === 'start') printLine(true);
        else if (event.type === 'end') {
          stopTimer();
          printLine(true);
        } else if (event.type === 'page') printLine();
      }
      if (event.type === 'end') {
        stopTimer();
        finished = true;
      }
    },
    log(line) {
      if (mode === 'quiet' || mode === 'json') return;
      const hadBar = barShown;
      clearBar();
      stream.write(`${line}\n`);
      if (hadBar) drawBar(true);
    },
    finish() {
      stopTimer();
      if (barShown) {
        stream.write('\n');
        barShown = false;
      }
      finished = true;
    },
  };
  return progress;
}

/** `[████████░░░░] 40/130  31%  2.1 pages/s  ETA 43s  1 failed` fitted to `columns`. */
export function formatBar(state: ProgressState, columns = 80): string {
  const fraction = state.total ? Math.min(1, state.done / state.total) : 0;
  const stats = statsText(state);
  const width = Math.max(10, Math.min(40, columns - stats.length - 4));
  const filled = Math.round(fraction * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${stats}`.slice(0, Math.max(20, columns - 1));
}

/** `clearcopy: 40/130 pages (31%), 2.1 pages/s, ETA 43s, 1 failed`, for logs. */
export function formatLine(state: ProgressState): string {
  const percent = state.total ? Math.floor((state.done / state.total) * 100) : 100;
  const parts = [`clearcopy: ${state.done}/${state.total} pages (${percent}%)`, `${formatRate(state)} pages/s`];
  if (state.done < state.total) parts.push(`ETA ${formatDuration(etaMs(state))}`);
  else parts.push(`in ${formatDuration(state.elapsedMs)}`);
  parts.push(`${state.failed} failed`);
  if (state.cached) parts.push(`${state.cached} cached`);
  if (state.retries) parts.push(`${state.retries} retried`);
  return parts.join(', ');
}

function statsText(state: ProgressState): string {
  const percent = state.total ? Math.floor((state.done / state.total) * 100) : 100;
  const eta = state.done < state.total ? `ETA ${formatDuration(etaMs(state))}` : formatDuration(state.elapsedMs);
  return `${state.done}/${state.total} ${String(percent).padStart(3)}%  ${formatRate(state)} pages/s  ${eta}  ${state.failed} failed${state.cached ? `  ${state.cached} cached` : ''}`;
}

/** Pages per second so far. */
export function rateOf(state: ProgressState): number {
  return state.elapsedMs > 0 ? state.done / (state.elapsedMs / 1000) : 0;
}

function formatRate(state: ProgressState): string {
  const rate = rateOf(state);
  return rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
}

/** Time left at the rate so far (Infinity before the first page). */
export function etaMs(state: ProgressState): number {
  const rate = rateOf(state);
  return rate > 0 ? ((state.total - state.done) / rate) * 1000 : Infinity;
}

/** `43s`, `2m05s`, `1h02m`, `--` when unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '--';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * One NDJSON record per event: the event's own fields plus `elapsedMs`; a page event carries the
 * page's summary (name, input, status, error, counts, outputs, durationMs), not every finding.
 */
export function toJsonEvent(event: ProgressEvent, elapsedMs: number): Record<string, unknown> {
  if (event.type !== 'page') return { ...event, elapsedMs: Math.round(elapsedMs) };
  const { page } = event;
  return {
    type: 'page',
    done: event.done,
    total: event.total,
    cached: event.cached ?? false,
    failed: event.failed ?? 0,
    page: {
      name: page.name,
      input: page.input,
      status: page.status,
      ...(page.error ? { error: page.error } : {}),
      audited: page.audited,
      counts: page.counts,
      ...(page.outputs ? { outputs: page.outputs } : {}),
      durationMs: page.durationMs,
    },
    elapsedMs: Math.round(elapsedMs),
  };
}
