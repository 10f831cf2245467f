// --shard i/n: a stable split by input name, every input in exactly one shard, and the shards
// together give the unsharded run.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFiles, type PageResult } from '../../src/index.js';
import { shardOf } from '../../src/run/shard.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-shard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const labels = Array.from({ length: 300 }, (_, i) => `archive/2014/${String(i).padStart(3, '0')}-story.html`);

describe('shardOf', () => {
  it('puts every input in exactly one shard, the same one every time', () => {
    for (const total of [1, 2, 3, 7]) {
      const shards = labels.map((label) => shardOf(label, total));
      expect(shards.every((s) => Number.isInteger(s) && s >= 1 && s <= total)).toBe(true);
      expect(labels.map((label) => shardOf(label, total))).toEqual(shards);
      // No shard is empty or holds most of the work.
      for (let s = 1; s <= total; s++) expect(shards.filter((x) => x === s).length).toBeGreaterThan(300 / total / 2);
    }
  });

  it('depends on the name, not the position: adding or removing inputs moves nobody else', () => {
    const before = new Map(labels.map((label) => [label, shardOf(label, 4)]));
    const changed = ['archive/new.html', ...labels.slice(10)];
    for (const label of changed.slice(1)) expect(shardOf(label, 4)).toBe(before.get(label));
  });

  it('treats Windows and POSIX separators alike', () => {
    expect(shardOf('archive\\2014\\a.html', 5)).toBe(shardOf('archive/2014/a.html', 5));
  });
});

describe('renderFiles with shard', () => {
  const inputs = path.join(work, 'in');
  mkdirSync(inputs, { recursive: true });
  const body = (i: number) => `<!doctype html><html lang="en"><head><title>Story ${i}</title></head><body><article><h1>Story ${i}</h1>${'<p>This is a paragraph of the archived story, long enough to be read as an article by Readability. </p>'.repeat(4)}</article></body></html>`;
  for (let i = 0; i < 9; i++) writeFileSync(path.join(inputs, `story-${i}.html`), body(i));
  writeFileSync(path.join(inputs, 'Story-1.HTML'), body(99)); // a name clash, settled the same in every shard

  const strip = (pages: PageResult[]) => pages.map(({ durationMs: _d, outputs: _o, ...rest }) => rest);

  it('splits the inputs so that the shards together equal the unsharded run', async () => {
    const options = { audit: false, cache: false, workers: { threads: 0 } } as const;
    const whole = await renderFiles([inputs], { ...options, output: { dir: path.join(work, 'whole') } });
    const parts: PageResult[] = [];
    for (let index = 1; index <= 3; index++) {
      const part = await renderFiles([inputs], { ...options, output: { dir: path.join(work, `shard-${index}`) }, shard: { index, total: 3 } });
      parts.push(...part.pages);
    }
    expect(parts.map((p) => p.input).sort()).toEqual(whole.pages.map((p) => p.input).sort());
    const byInput = (pages: PageResult[]) => strip([...pages].sort((a, b) => (a.input < b.input ? -1 : 1)));
    expect(byInput(parts)).toEqual(byInput(whole.pages));
  });

  it('refuses a shard that is not i/n with 1 ≤ i ≤ n', async () => {
    await expect(renderFiles([inputs], { audit: false, cache: false, shard: { index: 0, total: 2 } })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(renderFiles([inputs], { audit: false, cache: false, shard: { index: 3, total: 2 } })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
