#!/usr/bin/env node
// Makes sure a Chromium/Chrome is available for pa11y (run by `npm start` and `npm test`).
// Finds one with clearcopy's own finder; when there is none and this is Debian or Ubuntu running
// as root, installs the `chromium-headless-shell` package (else `chromium`); otherwise says how to
// install one and fails.
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
  say('clearcopy: no Chromium found; installing Debian\'s chromium-headless-shell package (apt-get, about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (name) => execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', name], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  try {
    // The headless shell is all an audit needs, and the fastest; older releases only have chromium.
    install('chromium-headless-shell');
  } catch {
    say('clearcopy: no chromium-headless-shell package here; installing chromium instead…');
    install('chromium');
  }
  found = await findBrowser();
}
if (!found) {
  console.error(`clearcopy: ${NO_BROWSER_HELP}`);
  process.exit(1);
}
say(`clearcopy: auditing with ${found.path} (${found.kind === 'shell' ? 'headless shell' : 'full browser'}, found via ${found.via})`);
