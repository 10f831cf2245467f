// Which browser clearcopy audits with: configured paths first, then a headless shell before a full
// browser. Fake executables on a temporary PATH stand in for installed browsers.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser, kindOf } from '../../src/audit/browser.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'clearcopy-finder-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A folder holding fake executables with these names. */
function binFolder(name: string, executables: string[]): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const executable of executables) {
    const file = path.join(dir, executable);
    writeFileSync(file, '#!/bin/sh\nexit 0\n');
    chmodSync(file, 0o755);
  }
  return dir;
}

describe.skipIf(process.platform === 'win32')('findBrowser', () => {
  it('prefers a headless shell on the PATH to a full browser on the PATH', async () => {
    const full = binFolder('full', ['chromium', 'google-chrome']);
    const shell = binFolder('shell', ['chromium-headless-shell']);
    // The full browser's folder comes first on the PATH: the shell still wins.
    const found = await findBrowser(undefined, { PATH: [full, shell].join(path.delimiter) });
    expect(found).toEqual({ path: path.join(shell, 'chromium-headless-shell'), via: 'system', kind: 'shell' });
  });

  it('takes a full browser on the PATH when there is no shell on it', async () => {
    const full = binFolder('only-full', ['google-chrome-stable', 'chromium-browser']);
    const found = await findBrowser(undefined, { PATH: full });
    // chromium-browser comes before google-chrome-stable in the search order.
    expect(found).toEqual({ path: path.join(full, 'chromium-browser'), via: 'system', kind: 'full' });
  });

  it('takes a configured path before anything on the PATH, and knows its kind by its name', async () => {
    const shell = binFolder('configured', ['chrome-headless-shell', 'chrome']);
    const env = { PATH: binFolder('path', ['chromium-headless-shell']) };
    expect(await findBrowser(path.join(shell, 'chrome'), env)).toEqual({ path: path.join(shell, 'chrome'), via: 'option', kind: 'full' });
    expect(await findBrowser(undefined, { ...env, CLEARCOPY_CHROME: path.join(shell, 'chrome-headless-shell') }))
      .toEqual({ path: path.join(shell, 'chrome-headless-shell'), via: 'CLEARCOPY_CHROME', kind: 'shell' });
  });

  it('reports a configured path that is not there instead of looking elsewhere', async () => {
    const env = { PATH: binFolder('fallback', ['chromium']), CLEARCOPY_CHROME: path.join(work, 'nowhere', 'chrome') };
    await expect(findBrowser(undefined, env)).rejects.toThrow(/nowhere\/chrome: the browser named by CLEARCOPY_CHROME does not exist or is not executable/);
  });

  it('does not take a file that is not executable', async () => {
    const dir = binFolder('not-executable', ['chromium']);
    const plain = path.join(dir, 'chromium-headless-shell');
    writeFileSync(plain, 'not a program');
    chmodSync(plain, 0o644);
    expect(await findBrowser(undefined, { PATH: dir })).toMatchObject({ path: path.join(dir, 'chromium'), kind: 'full' });
  });
});

describe('kindOf', () => {
  it('names headless shells by their executable name only', () => {
    expect(kindOf('/usr/bin/chromium-headless-shell')).toBe('shell');
    expect(kindOf('/home/me/.cache/puppeteer/chrome-headless-shell/linux-131/chrome-headless-shell-linux64/chrome-headless-shell')).toBe('shell');
    expect(kindOf('C:\\shell\\chrome-headless-shell.exe'.replace(/\\/g, '/'))).toBe('shell');
    expect(kindOf('/usr/lib/chromium/headless_shell')).toBe('shell');
    expect(kindOf('/opt/headless-shell-tools/chromium')).toBe('full');
    expect(kindOf('/usr/bin/google-chrome')).toBe('full');
  });
});
