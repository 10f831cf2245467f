#!/usr/bin/env node
// Makes sure a Chromium/Chrome is available for pa11y (run by `npm start` and `npm test`).
// Finds one with clearcopy's own finder; when there is none and this is Debian or Ubuntu running
// as root, installs the `chromium-headless-shell` package (else `chromium`); otherwise says how to
// install one and fails.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

// `npm test` (--test-tools) also needs the real checkers and services its tests run: W3C EPUBCheck
// (with Java), redis-server for the queue, espeak-ng for speech, junitparser for the JUnit report.
// On Debian or Ubuntu as root the missing ones are installed; elsewhere they are named.
if (process.argv.includes('--test-tools')) {
  const tools = [
    { pkg: 'epubcheck', present: existsSync('/usr/share/java/epubcheck.jar') && onPath('java') },
    { pkg: 'redis-server', present: onPath('redis-server') },
    { pkg: 'espeak-ng', present: onPath('espeak-ng') },
    { pkg: 'python3-junitparser', present: existsSync('/usr/lib/python3/dist-packages/junitparser') },
  ];
  const missing = tools.filter((tool) => !tool.present).map((tool) => tool.pkg);
  if (missing.length && process.platform === 'linux' && process.getuid?.() === 0 && isDebianLike()) {
    say(`clearcopy: installing the test tools ${missing.join(', ')} (apt-get)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
    } catch (error) {
      console.error(`clearcopy: could not install ${missing.join(', ')} (${error.message.split('\n')[0]}); the tests that need them will fail`);
    }
  } else if (missing.length) {
    console.error(`clearcopy: the tests also need ${missing.join(', ')} (Debian/Ubuntu package names); install them first`);
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}
say(`clearcopy: auditing with ${found.path} (${found.kind === 'shell' ? 'headless shell' : 'full browser'}, found via ${found.via})`);
