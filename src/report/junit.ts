// JUnit XML as CI servers read it (the Ant/Jenkins "junit-4" shape that GitLab, Jenkins, Azure
// Pipelines and junitparser accept): <testsuites> → one <testsuite> per page → one <testcase>
// per rule that reported anything on that page.
import type { PageResult, RunResult } from '../model/run-result.js';
import { byRule, isCounted, plainMessage, plural, SEVERITIES } from './common.js';

/** Escapes text for XML 1.0 content and attribute values, dropping characters XML cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * The run as JUnit XML. Each page is a testsuite named by its input; each rule that reported on
 * the page is a testcase (`classname` the page, `name` the rule code). A rule with issues that count
 * against the gate (at or above `failOn`, not known in the baseline) has a `<failure>` listing each
 * issue (message, element, markup); other issues are listed in `<system-out>` and pass. A page that
 * could not be loaded or audited has one testcase with an `<error>`. A clean page has one passing
 * testcase, so no suite is empty.
 */
export function junitReporter(run: RunResult): string {
  const suites = run.pages.map((page, index) => suite(run, page, index));
  const tests = suites.reduce((sum, s) => sum + s.tests, 0);
  const failures = suites.reduce((sum, s) => sum + s.failures, 0);
  const errors = suites.reduce((sum, s) => sum + s.errors, 0);
  const time = run.pages.reduce((sum, page) => sum + page.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`clearcopy ${run.standard}`)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(time)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(run: RunResult, page: PageResult, index: number): { xml: string; tests: number; failures: number; errors: number } {
  const name = xmlEscape(page.input);
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  if (page.status === 'failed') {
    errors++;
    const message = page.error?.message ?? `${page.input}: could not be audited`;
    cases.push(`    <testcase classname="${name}" name="load and audit" time="${seconds(page.durationMs)}">\n      <error message="${xmlEscape(message)}" type="${xmlEscape(page.error?.code ?? 'FAILED')}">${xmlEscape(message)}</error>\n    </testcase>`);
  } else {
    for (const group of byRule(page.findings)) {
      const counted = group.findings.filter((finding) => isCounted(run, page, finding));
      const others = group.findings.filter((finding) => !isCounted(run, page, finding));
      const lines: string[] = [`    <testcase classname="${name}" name="${xmlEscape(group.code)}" time="0">`];
      if (counted.length > 0) {
        failures++;
        const severity = SEVERITIES.find((s) => counted.some((f) => f.severity === s))!;
        const summary = `${plural(counted.length, 'issue')}: ${plainMessage(counted[0]!.message)}`;
        lines.push(`      <failure message="${xmlEscape(summary)}" type="${severity}">${xmlEscape(counted.map(describe).join('\n\n'))}</failure>`);
      }
      if (others.length > 0) lines.push(`      <system-out>${xmlEscape(others.map(describe).join('\n\n'))}</system-out>`);
      lines.push('    </testcase>');
      cases.push(lines.join('\n'));
    }
    if (cases.length === 0) cases.push(`    <testcase classname="${name}" name="${page.audited ? 'no issues' : 'not audited'}" time="0"/>`);
  }
  const properties = [
    `      <property name="standard" value="${xmlEscape(run.standard)}"/>`,
    ...(page.title ? [`      <property name="title" value="${xmlEscape(page.title)}"/>`] : []),
    ...(page.ignored ? [`      <property name="ignored" value="${page.ignored}"/>`] : []),
  ];
  const xml = [
    `  <testsuite name="${name}" id="${index}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(page.durationMs)}" timestamp="${xmlEscape(run.startedAt.replace(/Z$/, ''))}">`,
    '    <properties>',
    ...properties,
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors };
}

function describe(finding: PageResult['findings'][number]): string {
  const lines = [`${finding.severity}${finding.baseline === 'known' ? ' (in baseline)' : ''}: ${plainMessage(finding.message)}`];
  if (finding.selector) lines.push(`element: ${finding.selector}${finding.line ? ` (line ${finding.line})` : ''}`);
  if (finding.context) lines.push(`markup: ${finding.context}`);
  lines.push(`ignore with: ${finding.code}`);
  return lines.join('\n');
}
