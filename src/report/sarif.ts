// SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as GitHub code scanning and
// other code-review tools read it. Section numbers below are the spec's.
import type * as Sarif from 'sarif';
import type { Severity } from '../model/finding.js';
import type { PageResult, ReportedFinding, RunResult } from '../model/run-result.js';
import { plainMessage } from './common.js';
import { fingerprintOf } from '../gate/gate.js';
import { pageKey } from '../model/run-result.js';
import { criteriaOf, criterionName, helpUrl } from '../model/wcag.js';

/** The schema URI the SARIF 2.1.0 standard (§3.13.3) and Microsoft's validator expect. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The partialFingerprints key: clearcopy's element fingerprint, version 1 (§3.27.17). */
export const FINGERPRINT_KEY = 'clearcopyElementFingerprint/v1';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', notice: 'note' };

/**
 * The run as a SARIF 2.1.0 log with one run: each rule code is a `reportingDescriptor` with a
 * `helpUri` (the WCAG Understanding document, or axe's rule page); each issue a `result` with its
 * level, message, a physical location (the page's file, relative to the working directory, or
 * its URL; with the line and column of the element when known) and a logical location (the CSS
 * selector), and `partialFingerprints` that stay the same across runs while the element does.
 * Against a baseline, `baselineState` is `new` or `unchanged`. Pages that could not be audited
 * are `toolExecutionNotifications` of level error, and make `executionSuccessful` false.
 */
export function sarifReporter(run: RunResult): string {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const artifacts: Sarif.Artifact[] = [];
  const artifactIndex = new Map<string, number>();
  const results: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];

  const artifactFor = (page: PageResult): Sarif.ArtifactLocation => {
    const uri = artifactUri(page);
    let index = artifactIndex.get(uri);
    if (index === undefined) {
      index = artifacts.length;
      artifactIndex.set(uri, index);
      artifacts.push({ location: location(uri), mimeType: 'text/html', roles: ['analysisTarget'] });
    }
    return { ...location(uri), index };
  };

  const ruleFor = (finding: ReportedFinding): number => {
    let index = ruleIndex.get(finding.code);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(finding.code, index);
      const criteria = criteriaOf(finding);
      const describe = criteria.length ? `WCAG ${criteria.map(criterionName).join(', ')}` : `${finding.source} rule ${finding.code}`;
      const uri = helpUrl(finding);
      rules.push({
        id: finding.code,
        shortDescription: { text: describe },
        fullDescription: { text: plainMessage(finding.message) },
        helpUri: uri,
        help: { text: `${describe}. See ${uri}`, markdown: `${describe}. See [${criteria.length ? 'the WCAG Understanding document' : 'the rule'}](${uri}).` },
        defaultConfiguration: { level: LEVEL[finding.severity] },
        properties: { tags: ['accessibility', finding.source, ...criteria.map((c) => `wcag/${c}`)] },
      });
    }
    return index;
  };

  for (const page of run.pages) {
    if (page.status === 'failed') {
      notifications.push({
        level: 'error',
        message: { text: page.error?.message ?? `${page.input}: could not be audited` },
        locations: [{ physicalLocation: { artifactLocation: artifactFor(page) } }],
        ...(page.error?.code ? { descriptor: { id: page.error.code } } : {}),
      });
      continue;
    }
    const key = pageKey(page);
    for (const finding of page.findings) {
      const index = ruleFor(finding);
      const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifactFor(page) };
      if (finding.line) {
        physicalLocation.region = { startLine: finding.line, ...(finding.column ? { startColumn: finding.column } : {}), ...(finding.context ? { snippet: { text: finding.context } } : {}) };
      } else if (!finding.selector && !finding.context) {
        // An issue about the page as a whole (e.g. "check the reading order"): its start (§3.30.5).
        physicalLocation.region = { startLine: 1, startColumn: 1 };
      }
      const result: Sarif.Result = {
        ruleId: finding.code,
        ruleIndex: index,
        level: LEVEL[finding.severity],
        message: { text: `${plainMessage(finding.message)}${finding.selector ? ` Element: ${finding.selector}` : ''}` },
        locations: [{
          physicalLocation,
          ...(finding.selector ? { logicalLocations: [{ fullyQualifiedName: finding.selector, kind: 'element' }] } : {}),
        }],
        partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint ?? fingerprintOf(key, finding) },
        properties: {
          source: finding.source,
          ...(finding.selector ? { selector: finding.selector } : {}),
          ...(finding.context ? { context: finding.context } : {}),
        },
      };
      if (finding.baseline) result.baselineState = finding.baseline === 'known' ? 'unchanged' : 'new';
      results.push(result);
    }
  }

  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'clearcopy',
          version: run.tool.version,
          semanticVersion: run.tool.version,
          informationUri: 'https://www.w3.org/WAI/standards-guidelines/wcag/',
          rules,
        },
      },
      invocations: [{
        executionSuccessful: notifications.length === 0,
        startTimeUtc: run.startedAt,
        endTimeUtc: run.finishedAt,
        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
      }],
      automationDetails: { id: `clearcopy/${run.standard}/` },
      artifacts,
      results,
      columnKind: 'utf16CodeUnits',
      properties: { standard: run.standard, runners: run.runners },
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The file a page's issues are in: its HTML copy when clearcopy made one, else the input; a URL as is. */
function artifactUri(page: PageResult): string {
  const file = page.outputs?.html ?? page.input;
  if (/^https?:\/\//i.test(file)) return file;
  return encodeURI(file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, ''));
}

/** An artifactLocation: absolute URLs as they are, paths relative to %SRCROOT% (the working directory). */
function location(uri: string): Sarif.ArtifactLocation {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) return { uri };
  if (uri.startsWith('/')) return { uri: `file://${uri}` };
  return { uri, uriBaseId: '%SRCROOT%' };
}
