import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { ClearcopyError } from '../errors.js';

/** Where a browser was found, and how. */
export interface BrowserLocation {
  path: string;
  /** How it was found: `option`, `CLEARCOPY_CHROME`, `PUPPETEER_EXECUTABLE_PATH`, `system` or `puppeteer`. */
  via: string;
  /**
   * `shell` for a Chromium headless shell (`chromium-headless-shell`, `chrome-headless-shell`: the
   * headless-only build, launched in its own mode), `full` for a full Chromium or Chrome.
   */
  kind: BrowserKind;
}

export type BrowserKind = 'shell' | 'full';

/**
 * Headless shells tried on the PATH first. The shell is Chromium's automation build without the
 * browser UI; the same pa11y findings come out of it, with less work per page (about 20% less
 * audit time, measured on the benchmark's 128 copies).
 */
export const HEADLESS_SHELL_NAMES = ['chromium-headless-shell', 'chrome-headless-shell'];

/** Full browsers tried on the PATH after the shells, in order. */
export const SYSTEM_BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Well-known headless-shell locations outside the PATH. */
const KNOWN_SHELL_LOCATIONS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/lib/chromium/headless_shell',
];

/** Well-known full-browser locations outside the PATH. */
const KNOWN_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * Finds a Chromium or Chrome to audit with: an explicit path, then `CLEARCOPY_CHROME`, then
 * `PUPPETEER_EXECUTABLE_PATH`, then on the PATH a headless shell, then chromium / chromium-browser /
 * google-chrome(-stable), then the same in the usual install places, then the headless shell or
 * browser puppeteer downloaded. Returns undefined when none.
 */
export async function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): Promise<BrowserLocation | undefined> {
  const configured: [string | undefined, string][] = [
    [explicit, 'option'],
    [env.CLEARCOPY_CHROME, 'CLEARCOPY_CHROME'],
    [env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH'],
  ];
  for (const [candidate, via] of configured) {
    if (!candidate) continue;
    if (isExecutable(candidate)) return { path: candidate, via, kind: kindOf(candidate) };
    // A configured path that does not work is a mistake to report, not to skip silently.
    throw new ClearcopyError('BROWSER_NOT_FOUND', `${candidate}: the browser named by ${via === 'option' ? '--chrome' : via} does not exist or is not executable`);
  }
  for (const [names, kind] of [[HEADLESS_SHELL_NAMES, 'shell'], [SYSTEM_BROWSER_NAMES, 'full']] as const) {
    for (const name of names) {
      const found = onPath(name, env.PATH ?? '');
      if (found) return { path: found, via: 'system', kind };
    }
  }
  for (const [locations, kind] of [[KNOWN_SHELL_LOCATIONS, 'shell'], [KNOWN_LOCATIONS, 'full']] as const) {
    for (const location of locations) if (isExecutable(location)) return { path: location, via: 'system', kind };
  }
  try {
    const puppeteer = (await import('puppeteer')).default;
    for (const kind of ['shell', 'full'] as const) {
      const downloaded = puppeteer.executablePath({ headless: headlessMode(kind) });
      if (downloaded && isExecutable(downloaded)) return { path: downloaded, via: 'puppeteer', kind };
    }
  } catch {
    // puppeteer has no downloaded browser
  }
  return undefined;
}

/** A browser named like a headless shell (`chrome-headless-shell`, `chromium-headless-shell`, `headless_shell`) is one. */
export function kindOf(executable: string): BrowserKind {
  return /headless[-_]shell(\.exe)?$/i.test(path.basename(executable)) ? 'shell' : 'full';
}

/** The message shown when no browser is found: how to get one on each platform. */
export const NO_BROWSER_HELP =
  'no Chromium or Chrome found. Install one (Debian: `sudo apt-get install chromium-headless-shell`, the fastest for audits, or `chromium`; ' +
  'macOS: `brew install --cask chromium`; anywhere: `npx puppeteer browsers install chrome-headless-shell`), or point CLEARCOPY_CHROME ' +
  'at its executable. Use --no-audit to skip the audit.';

/** Like {@link findBrowser}, but throws `BROWSER_NOT_FOUND` with install help when there is none. */
export async function requireBrowser(explicit?: string): Promise<BrowserLocation> {
  const found = await findBrowser(explicit);
  if (!found) throw new ClearcopyError('BROWSER_NOT_FOUND', `clearcopy: ${NO_BROWSER_HELP}`);
  return found;
}

/**
 * Whether Chromium must run without its sandbox: only as root (a container), where it cannot start
 * with it. Everywhere else its renderers stay sandboxed, since `clearcopy audit` runs sites' scripts.
 */
export function sandboxOff(uid: number | undefined = process.getuid?.()): boolean {
  return uid === 0;
}

/** Said once by the CLI when the sandbox is off. */
export const SANDBOX_OFF_NOTE = "running as root: Chromium's sandbox is off (--no-sandbox); run as another user to keep it on";

/**
 * Chromium flags for audits: headless, no sandbox only as root ({@link sandboxOff}), and no background
 * networking, so the browser itself never reaches out to any host. `--no-turbofan`: an audit run is
 * many short runs of the same runner code (axe, HTML_CodeSniffer) over different pages, and V8's top
 * compiler tier spent more on background compilation than its code saved (the 128 benchmark copies:
 * 22.0 s against 20.2 s, medians of three; the largest copy, 4,900 elements, no slower). Maglev, the
 * tier below, still optimises; what the code computes does not depend on the tier.
 */
export const BROWSER_ARGS = [
  ...(sandboxOff() ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
  '--metrics-recording-only',
  '--mute-audio',
  '--js-flags=--no-turbofan',
];

/** Puppeteer's `headless` launch option for a browser of this kind: a shell runs in its own mode. */
export function headlessMode(kind: BrowserKind): 'shell' | true {
  return kind === 'shell' ? 'shell' : true;
}

/** The first executable file named `name` in the folders of a PATH-style variable. */
export function onPath(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!existsSync(file)) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
