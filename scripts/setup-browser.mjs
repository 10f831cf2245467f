#!/usr/bin/env node
// Makes sure a Chromium/Chrome is available for pa11y (run by `npm start` and `npm test`).
// Finds one with clearcopy's own finder; when there is none and this is Debian or Ubuntu running
// as root, installs Debian's `chromium` package; otherwise says how to install one and fails.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findBrowser, NO_BROWSER_HELP } from '../dist/audit/browser.js';

const quiet = process.argv.includes('--quiet');
const say = (message) => { if (!quiet) console.error(message); };

function isDebianLike() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
  } catch {
    return false;
  }
}

let found = await findBrowser();
if (!found && process.platform === 'linux' && process.getuid?.() === 0 && isDebianLike()) {
  say('clearcopy: no Chromium found; installing Debian\'s chromium package (apt-get, about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  found = await findBrowser();
}
if (!found) {
  console.error(`clearcopy: ${NO_BROWSER_HELP}`);
  process.exit(1);
}
say(`clearcopy: auditing with ${found.path} (found via ${found.via})`);
