import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** clearcopy's version, from package.json. */
export const VERSION: string = pkg.version;
/** "clearcopy x.y.z", as named in outputs and reports. */
export const GENERATOR = `clearcopy ${VERSION}`;
