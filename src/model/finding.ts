/** How serious a finding is; mirrors pa11y's issue types so one gate can judge both. */
export type Severity = 'error' | 'warning' | 'notice';

/** Who raised a finding: one of pa11y's runners, or clearcopy's own checks. */
export type FindingSource = 'htmlcs' | 'axe' | 'clearcopy';

/**
 * One problem found in a page, as data (cf. vfile-message): reporters decide how to show it.
 */
export interface Finding {
  /** Rule identifier, exactly as it would go in an ignore list (e.g. `WCAG2AA.Principle1.Guideline1_1.1_1_1.H37`, `image-alt`, `clearcopy/needs-human-description`). */
  code: string;
  /** Human-readable explanation, saying what to do where possible. */
  message: string;
  severity: Severity;
  source: FindingSource;
  /** CSS selector of the element concerned, when known. */
  selector?: string;
  /** A short excerpt of the element's HTML, when known. */
  context?: string;
}

/** Creates a clearcopy finding (source `clearcopy`, code prefixed `clearcopy/`). */
export function clearcopyFinding(
  rule: string,
  message: string,
  severity: Severity,
  extra: Pick<Finding, 'selector' | 'context'> = {},
): Finding {
  return { code: `clearcopy/${rule}`, message, severity, source: 'clearcopy', ...extra };
}
