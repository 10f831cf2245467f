// The auditor under failure, in real Chromium: a browser killed mid-run, a browser that stops
// answering, and pages that never settle within their time budget.
import { describe, expect, it } from 'vitest';
import { openAuditor, type AuditOutcome, type PageCheck } from '../../src/index.js';
import type { Page } from 'puppeteer';
import type { AuditEvent } from '../../src/audit/auditor.js';

const page = (title: string, extra = '') =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><h1>${title}</h1><p>Some text about ${title}.</p>${extra}</main></body></html>`;

type Settled = { label: string; outcome?: AuditOutcome; error?: { code: string; message: string } };

async function auditAll(labels: string[], options: Parameters<typeof openAuditor>[0], html: (label: string) => string = page): Promise<{ results: Settled[]; events: AuditEvent[] }> {
  const events: AuditEvent[] = [];
  const auditor = await openAuditor({ ...options, onEvent: (event) => events.push(event) });
  try {
    const results = await Promise.all(labels.map((label) => auditor.audit(html(label), label).then(
      (outcome) => ({ label, outcome }),
      (error: { code: string; message: string }) => ({ label, error: { code: error.code, message: error.message } }),
    )));
    return { results, events };
  } finally {
    await auditor.close();
  }
}

/**
 * Signals the browser's whole process group (puppeteer starts it as a group leader): the process
 * puppeteer started may be a launcher script that runs the browser as its child (Debian's
 * `chromium-headless-shell` does), so signalling that process alone would leave the browser running.
 */
function signalBrowser(tab: Page, signal: NodeJS.Signals): void {
  process.kill(-tab.browser().process()!.pid!, signal);
}

const findingsOf = (result: Settled | undefined) => result?.outcome?.findings.map((f) => `${f.code} ${f.selector ?? ''}`).sort();

describe('browser crash recovery', () => {
  it('restarts a browser killed mid-run and retries the page it was auditing, once', async () => {
    let killed = 0;
    // Kill the whole browser while page "b" is loaded in it, the first time only.
    const killer: PageCheck = async (tab, { label }) => {
      if (label === 'b' && killed++ === 0) {
        signalBrowser(tab, 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 60_000)); // the run must not wait for this
      }
      return [];
    };
    const labels = ['a', 'b', 'c', 'd'];
    const { results, events } = await auditAll(labels, { concurrency: 2, timeoutMs: 60_000, pageChecks: [killer] });
    const reference = await auditAll(labels, { concurrency: 1 });
    expect(killed).toBe(2); // the first try, then the retry (which passes)
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results.find((r) => r.label === 'b')!.outcome!.attempts).toBe(2);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { label: string }).label)).toContain('b');
    expect(events.filter((e) => e.type === 'browser-restart')).toHaveLength(1);
    for (const label of labels) expect(findingsOf(results.find((r) => r.label === label)), label).toEqual(findingsOf(reference.results.find((r) => r.label === label)));
  });

  it('kills and restarts a browser that stops answering, and retries the page', async () => {
    let stopped = 0;
    const freezer: PageCheck = async (tab, { label }) => {
      if (label === 'frozen' && stopped++ === 0) {
        signalBrowser(tab, 'SIGSTOP'); // the browser hangs: no CDP answer any more
        await tab.title(); // never answers
      }
      return [];
    };
    const { results, events } = await auditAll(['frozen'], { concurrency: 1, timeoutMs: 20_000, pageChecks: [freezer] });
    expect(results[0]!.error).toBeUndefined();
    expect(results[0]!.outcome!.attempts).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['retry', 'browser-restart']);
    expect(events[0]).toMatchObject({ reason: expect.stringMatching(/stopped answering/) });
  });
});

describe('time budget', () => {
  it('fails only the page that never settles, without restarting the browser', async () => {
    // A check that waits for something that never comes (an element, an event): the page never settles.
    const waits: PageCheck = async (tab, { label }) => {
      if (label === 'waits') await tab.waitForSelector('#never-there', { timeout: 0 });
      return [];
    };
    // Raw archived HTML (what `clearcopy audit` takes) can hold a script stuck in a loop: the tab's
    // renderer never gets to `load`. The copies clearcopy writes have no script (their CSP forbids it).
    const html = (label: string) => page(label, label === 'spins' ? '<script>for (;;) {}</script>' : '');
    // Two tabs: "a" and "b" first, then both stuck pages, then "c", which can only be audited once a
    // stuck page has been stopped and its tab slot given back (the run goes on). The budget is
    // generous because this machine is shared: a normal page takes well under a second.
    const labels = ['a', 'b', 'waits', 'spins', 'c'];
    const { results, events } = await auditAll(labels, { concurrency: 2, timeoutMs: 30_000, pageChecks: [waits] }, html);
    const byLabel = Object.fromEntries(results.map((r) => [r.label, r]));
    expect(byLabel.waits!.error).toMatchObject({ code: 'AUDIT_TIMEOUT', message: expect.stringMatching(/^waits: .*longer than 30000 ms/) });
    expect(byLabel.spins!.error).toMatchObject({ code: 'AUDIT_TIMEOUT' });
    for (const label of ['a', 'b', 'c']) {
      expect(byLabel[label]!.error, label).toBeUndefined();
      expect(byLabel[label]!.outcome!.findings.length, label).toBeGreaterThan(0);
    }
    expect(events).toEqual([]); // the browser was fine all along: no restart, no retry
  });
});
