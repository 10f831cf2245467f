// CSV after RFC 4180: CRLF line breaks, a header row, fields quoted when they hold a comma, a
// double quote, CR or LF, and double quotes inside doubled. Text that a spreadsheet would read as a
// formula is made inert first (OWASP's CSV injection rule).
import type { RunResult } from '../model/run-result.js';
import { criteriaOf, helpUrl } from '../model/wcag.js';

/**
 * One field: a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
 * (OWASP, "CSV Injection"), so a spreadsheet shows it instead of running it as a formula (a page
 * named `=HYPERLINK(…).html`, a message or markup from the page); then it is quoted per RFC 4180
 * §2 rules 5–7 when it must be. Numbers are written as they are.
 */
export function csvField(value: string | number | undefined): string {
  const raw = value === undefined ? '' : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = ['page', 'status', 'severity', 'code', 'source', 'message', 'selector', 'context', 'line', 'wcag', 'help', 'baseline', 'fingerprint'];

/**
 * One row per issue (and one per page that could not be audited, with its status `failed` and the
 * reason as the message); columns: page, status, severity, code, source, message, selector,
 * context, line, wcag (success criteria), help (URL), baseline (`known`/`new`), fingerprint.
 */
export function csvReporter(run: RunResult): string {
  const rows: (string | number | undefined)[][] = [HEADER];
  for (const page of run.pages) {
    if (page.status === 'failed') {
      rows.push([page.input, 'failed', 'error', page.error?.code, 'clearcopy', page.error?.message]);
      continue;
    }
    for (const f of page.findings) {
      rows.push([page.input, 'ok', f.severity, f.code, f.source, f.message, f.selector, f.context, f.line, criteriaOf(f).join(' '), helpUrl(f), f.baseline, f.fingerprint]);
    }
  }
  return rows.map((row) => HEADER.map((_, i) => csvField(row[i])).join(',')).join('\r\n') + '\r\n';
}
