import path from 'node:path';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Finding } from '../model/finding.js';
import type { RunResult } from '../model/run-result.js';
import { DEFAULT_TEMPLATES_DIR } from '../render/templates.js';
import { contentSecurityPolicy } from '../render/html.js';

/** Context for reporters that link to files: where the report itself will be written. */
export interface ReportContext {
  /** Folder the report is written to, so links to the copies can be relative (optional). */
  reportDir?: string;
}

let compiled: { template: Handlebars.TemplateDelegate; css: string } | undefined;

function reportTemplate() {
  if (!compiled) {
    const hb = Handlebars.create();
    const source = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'report.html.hbs'), 'utf8');
    const css = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'styles.css'), 'utf8') + readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'report.css'), 'utf8');
    compiled = { template: hb.compile(source), css };
  }
  return compiled;
}

const SEVERITY_ORDER = { error: 0, warning: 1, notice: 2 } as const;

/**
 * One accessible HTML report for the whole run: totals, then a section per page with its errors
 * and warnings (code, message, selector, context) and its notices counted.
 */
export function htmlReporter(run: RunResult, context: ReportContext = {}): string {
  const { template, css } = reportTemplate();
  const link = (file: string | undefined) => {
    if (!file) return undefined;
    return context.reportDir ? path.relative(context.reportDir, path.resolve(file)).split(path.sep).join('/') : file;
  };
  const pages = run.pages.map((page, index) => {
    const shown = page.findings.filter((f) => f.severity !== 'notice' || f.source === 'clearcopy')
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    return {
      id: `page-${index + 1}`,
      name: page.name,
      title: page.title ?? page.name,
      input: page.input,
      failed: page.status === 'failed',
      error: page.error?.message,
      htmlLink: link(page.outputs?.html),
      textLink: link(page.outputs?.text),
      audited: page.audited,
      counts: page.counts,
      verdict: page.status === 'failed' ? 'Failed to process' : page.counts.error > 0 ? `${page.counts.error} errors` : page.audited ? 'No errors' : 'Not audited',
      sources: Object.entries(page.bySource).map(([source, counts]) => ({ source, ...counts })),
      findings: shown.map((finding: Finding) => ({ ...finding, understanding: understandingUrl(finding.code) })),
      hasFindings: shown.length > 0,
    };
  });
  return template({
    css,
    csp: contentSecurityPolicy(css),
    run,
    pages,
    generatedAt: run.finishedAt,
    clean: run.totals.error === 0 && run.totals.failedPages === 0,
  });
}

/** The WCAG 2.2 "Understanding" page for an HTML_CodeSniffer code (e.g. `…Guideline1_1.1_1_1.H37` → non-text-content). */
export function understandingUrl(code: string): string | undefined {
  const match = /Guideline\d+_\d+\.(\d+)_(\d+)_(\d+)/.exec(code);
  if (!match) return undefined;
  const slug = SUCCESS_CRITERIA[`${match[1]}.${match[2]}.${match[3]}`];
  return slug ? `https://www.w3.org/WAI/WCAG22/Understanding/${slug}.html` : undefined;
}

/** WCAG success criteria and their Understanding-document slugs. */
export const SUCCESS_CRITERIA: Record<string, string> = {
  '1.1.1': 'non-text-content', '1.2.1': 'audio-only-and-video-only-prerecorded', '1.2.2': 'captions-prerecorded',
  '1.2.3': 'audio-description-or-media-alternative-prerecorded', '1.2.4': 'captions-live', '1.2.5': 'audio-description-prerecorded',
  '1.3.1': 'info-and-relationships', '1.3.2': 'meaningful-sequence', '1.3.3': 'sensory-characteristics', '1.3.4': 'orientation',
  '1.3.5': 'identify-input-purpose', '1.3.6': 'identify-purpose', '1.4.1': 'use-of-color', '1.4.2': 'audio-control',
  '1.4.3': 'contrast-minimum', '1.4.4': 'resize-text', '1.4.5': 'images-of-text', '1.4.6': 'contrast-enhanced',
  '1.4.7': 'low-or-no-background-audio', '1.4.8': 'visual-presentation', '1.4.9': 'images-of-text-no-exception',
  '1.4.10': 'reflow', '1.4.11': 'non-text-contrast', '1.4.12': 'text-spacing', '1.4.13': 'content-on-hover-or-focus',
  '2.1.1': 'keyboard', '2.1.2': 'no-keyboard-trap', '2.1.3': 'keyboard-no-exception', '2.1.4': 'character-key-shortcuts',
  '2.2.1': 'timing-adjustable', '2.2.2': 'pause-stop-hide', '2.2.3': 'no-timing', '2.2.4': 'interruptions', '2.2.5': 're-authenticating',
  '2.2.6': 'timeouts', '2.3.1': 'three-flashes-or-below-threshold', '2.3.2': 'three-flashes', '2.3.3': 'animation-from-interactions',
  '2.4.1': 'bypass-blocks', '2.4.2': 'page-titled', '2.4.3': 'focus-order', '2.4.4': 'link-purpose-in-context',
  '2.4.5': 'multiple-ways', '2.4.6': 'headings-and-labels', '2.4.7': 'focus-visible', '2.4.8': 'location', '2.4.9': 'link-purpose-link-only',
  '2.4.10': 'section-headings', '2.4.11': 'focus-not-obscured-minimum', '2.5.1': 'pointer-gestures', '2.5.2': 'pointer-cancellation',
  '2.5.3': 'label-in-name', '2.5.4': 'motion-actuation', '2.5.8': 'target-size-minimum', '3.1.1': 'language-of-page', '3.1.2': 'language-of-parts',
  '3.1.3': 'unusual-words', '3.1.4': 'abbreviations', '3.1.5': 'reading-level', '3.1.6': 'pronunciation', '3.2.1': 'on-focus',
  '3.2.2': 'on-input', '3.2.3': 'consistent-navigation', '3.2.4': 'consistent-identification', '3.2.5': 'change-on-request',
  '3.3.1': 'error-identification', '3.3.2': 'labels-or-instructions', '3.3.3': 'error-suggestion', '3.3.4': 'error-prevention-legal-financial-data',
  '4.1.1': 'parsing', '4.1.2': 'name-role-value', '4.1.3': 'status-messages',
};
