// WACZ files made by real crawlers (the shared corpus): pages from pages.jsonl, records through the
// CDX index, or by scanning the WARCs when the index is missing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/extract/index.js';
import { openArchive } from '../../src/load/archive.js';
import { sourcesFromInputs } from '../../src/load/sources.js';
import { SHARED } from '../helpers.js';

const ARCHIVES = SHARED ? path.join(SHARED, 'corpus', 'archives') : '';
const temp = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-wacz-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe.skipIf(!SHARED)('WACZ input (shared archives)', () => {
  it('reads the pages list and finds each page through the CDX index (py-wacz)', async () => {
    const file = path.join(ARCHIVES, 'py-wacz-example.wacz');
    const archive = await openArchive(file);
    expect(archive.indexedBy).toBe('cdx');
    expect(archive.pages).toEqual([{ url: 'https://example.com/', ts: '2022-01-18T19:00:09Z', title: 'Example Domain' }]);
    const { sources } = await sourcesFromInputs([file]);
    expect(sources.map((s) => s.label)).toEqual([`${file}#https://example.com/`]);
    const page = await sources[0]!.load({});
    expect(page.source).toMatchObject({ archive: 'wacz', originalUrl: 'https://example.com/', capturedAt: '2022-01-18T19:00:09Z', resources: { kind: 'archive', file } });
    expect(extract(page).meta.title).toBe('Example Domain');
  });

  it('refuses a listed page whose capture is an error page, naming it (browsertrix)', async () => {
    const file = path.join(ARCHIVES, 'browsertrix-example.wacz');
    const { sources } = await sourcesFromInputs([file]);
    expect(sources.map((s) => s.label)).toEqual([`${file}#https://example.com/`, `${file}#https://example.com/hello-world`]);
    await expect(sources[0]!.load({})).resolves.toMatchObject({ source: { capturedAt: '2023-10-06T18:54:10Z' } });
    await expect(sources[1]!.load({})).rejects.toThrow(`${file}#https://example.com/hello-world: the archived capture is an error page (HTTP 404), not an article`);
  });

  it('scans the WARCs of a WACZ whose index is missing, and also lists the HTML pages the crawler did not', async () => {
    const file = path.join(ARCHIVES, 'browsertrix-missing-files.wacz');
    const archive = await openArchive(file);
    expect(archive.indexedBy).toBe('scan');
    expect([...archive.index.records()].length).toBe(34);
    const { sources } = await sourcesFromInputs([file]);
    const labels = sources.map((s) => s.label.slice(file.length + 1));
    expect(labels[0]).toBe('https://libraries.mit.edu/sitemap.xml');
    expect(labels).toContain('https://libraries.mit.edu/hello-world/');
    await expect(sources[0]!.load({})).rejects.toThrow(/sitemap\.xml: the archive holds no capture of this page/);
    const hello = await sources[labels.indexOf('https://libraries.mit.edu/hello-world/')]!.load({});
    expect(hello.html).toContain('<html');
  });
});

describe('WACZ input (made-up failures)', () => {
  it('refuses a file that is not a ZIP with one line naming it', async () => {
    const file = path.join(temp, 'broken.wacz');
    writeFileSync(file, 'this is not a zip file at all');
    const { sources } = await sourcesFromInputs([file]);
    expect(sources).toHaveLength(1);
    await expect(sources[0]!.load({})).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable WACZ file`));
  });
});
