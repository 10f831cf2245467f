// Message catalogs: one JSON file per language in `templates/locales/`, ICU MessageFormat messages
// (placeholders `{name}`, plurals `{n, plural, one {…} other {…}}`, selects, `#`), read once per
// templates folder. A user templates folder may bring its own `locales/*.json`: a file there adds a
// language or replaces messages of one clearcopy already has, key by key.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { z } from 'zod';
import { ClearcopyError } from '../errors.js';

/** The language every other catalog is checked against, and the fallback for a language without one. */
export const SOURCE_LANGUAGE = 'en';

/** One language's strings, as read from `locales/<tag>.json`. */
export interface Catalog {
  /** BCP 47 tag of the catalog (`de`, `pt`, `zh-Hant`): the file name without `.json`. */
  lang: string;
  /** The language's own name ("Deutsch"), for lists of catalogs. */
  name: string;
  dir: 'ltr' | 'rtl';
  /**
   * Words a byline on this language's sites already starts with ("von", "geschrieben von", "Autor:"):
   * such a byline is shown as it is, never prefixed again ("Von von …").
   */
  bylineWords: string[];
  /** Reading rate for the reading-time estimate, in words per minute (characters for Chinese and Japanese). */
  wordsPerMinute: number;
  /** Keys whose message is rightly the same as the English one ("Links:" in German): not an untranslated string. */
  sameAsEnglish: string[];
  /** Message key → ICU message. */
  messages: Record<string, string>;
  /** The file it was read from. */
  file: string;
}

/** Every catalog of a templates folder, by lower-cased tag. */
export type CatalogSet = ReadonlyMap<string, Catalog>;

const catalogFile = z.object({
  $comment: z.string().optional(),
  name: z.string().min(1),
  dir: z.enum(['ltr', 'rtl']),
  bylineWords: z.array(z.string().min(1)),
  wordsPerMinute: z.number().int().positive(),
  sameAsEnglish: z.array(z.string()).optional(),
  messages: z.record(z.string(), z.string()),
}).strict();

/** A user's partial catalog: any of the fields, messages only for keys clearcopy knows. */
const overlayFile = catalogFile.partial().strict();

/** clearcopy's own catalogs folder. */
export function builtInLocalesDir(templatesDir: string): string {
  return path.join(templatesDir, 'locales');
}

/**
 * Reads the catalogs in `dir` (files named `<tag>.json`), and lays the ones in `overlayDir` (a user
 * templates folder's `locales/`, when it has one) over them. Throws `TEMPLATE_BROKEN` naming the
 * file for a catalog that is not valid JSON, and for a user's catalog with an unknown key, a message
 * that is not valid ICU syntax or that uses other placeholders than the English one (clearcopy's
 * own are checked by its tests, not on every start).
 */
export function loadCatalogs(dir: string, overlayDir?: string): CatalogSet {
  const catalogs = new Map<string, Catalog>();
  for (const file of jsonFiles(dir)) {
    const lang = tagOf(file);
    const data = readJson(file, catalogFile);
    catalogs.set(lang.toLowerCase(), { lang, name: data.name, dir: data.dir, bylineWords: data.bylineWords, wordsPerMinute: data.wordsPerMinute, sameAsEnglish: data.sameAsEnglish ?? [], messages: data.messages, file });
  }
  const source = catalogs.get(SOURCE_LANGUAGE);
  if (!source) throw new ClearcopyError('TEMPLATE_MISSING', `${path.join(dir, `${SOURCE_LANGUAGE}.json`)}: the English catalog is missing (every other catalog is checked against it)`, { file: path.join(dir, `${SOURCE_LANGUAGE}.json`) });
  if (overlayDir && path.resolve(overlayDir) !== path.resolve(dir)) {
    for (const file of jsonFiles(overlayDir)) {
      const lang = tagOf(file);
      const data = readJson(file, overlayFile);
      const base = catalogs.get(lang.toLowerCase());
      if (!base && (!data.name || !data.dir)) throw broken(file, 'a new language needs "name" and "dir" (and its "messages")');
      catalogs.set(lang.toLowerCase(), {
        lang: base?.lang ?? lang,
        name: data.name ?? base!.name,
        dir: data.dir ?? base!.dir,
        bylineWords: data.bylineWords ?? base?.bylineWords ?? [],
        wordsPerMinute: data.wordsPerMinute ?? base?.wordsPerMinute ?? source.wordsPerMinute,
        sameAsEnglish: data.sameAsEnglish ?? base?.sameAsEnglish ?? [],
        messages: { ...base?.messages, ...data.messages },
        file,
      });
      checkCatalog(catalogs.get(lang.toLowerCase())!, source);
    }
  }
  return catalogs;
}

/** Problems of a catalog against the English one: unknown keys, broken syntax, other placeholders. */
export function catalogProblems(catalog: Pick<Catalog, 'messages'>, source: Pick<Catalog, 'messages'>): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(catalog.messages)) {
    const english = source.messages[key];
    if (english === undefined) {
      problems.push(`unknown key "${key}"`);
      continue;
    }
    let args: string[];
    try {
      args = placeholders(message);
    } catch (error) {
      problems.push(`"${key}" is not a valid ICU message (${(error as Error).message})`);
      continue;
    }
    const expected = placeholders(english);
    if (args.join() !== expected.join()) problems.push(`"${key}" uses {${args.join('}, {')}} where the English message uses {${expected.join('}, {')}}`);
  }
  return problems;
}

/** Keys of the English catalog a catalog lacks (a built-in catalog must have them all; a user's may lack some, English fills in, marked). */
export function missingKeys(catalog: Pick<Catalog, 'messages'>, source: Pick<Catalog, 'messages'>): string[] {
  return Object.keys(source.messages).filter((key) => catalog.messages[key] === undefined);
}

/**
 * Keys whose message is still the English one, word for word, and not declared `sameAsEnglish`:
 * strings left untranslated. Messages without letters (a list separator) are not counted.
 */
export function untranslatedKeys(catalog: Pick<Catalog, 'messages' | 'sameAsEnglish'>, source: Pick<Catalog, 'messages'>): string[] {
  return Object.entries(catalog.messages)
    .filter(([key, message]) => message === source.messages[key] && /\p{L}/u.test(message.replace(/\{[^{}]*\}/g, '')) && !catalog.sameAsEnglish.includes(key))
    .map(([key]) => key);
}

function checkCatalog(catalog: Catalog, source: Catalog): void {
  const [problem] = catalogProblems(catalog, source);
  if (problem) throw broken(catalog.file, problem);
}

/**
 * The placeholders of an ICU message with their kinds, sorted (`count:plural`, `name`): what every
 * translation of a key must use, so a template's parameters fit every language.
 */
export function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      switch (element.type) {
        case TYPE.argument: found.add(element.value); break;
        case TYPE.number: case TYPE.date: case TYPE.time: found.add(`${element.value}:${TYPE[element.type]}`); break;
        case TYPE.plural: found.add(`${element.value}:plural`); for (const option of Object.values(element.options)) walk(option.value); break;
        case TYPE.select: found.add(`${element.value}:select`); for (const option of Object.values(element.options)) walk(option.value); break;
        case TYPE.tag: walk(element.children); break;
        default: break;
      }
    }
  };
  walk(parse(message, { requiresOtherClause: true }));
  return [...found].sort();
}

function jsonFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith('.json')).sort().map((name) => path.join(dir, name));
}

function tagOf(file: string): string {
  const tag = path.basename(file, '.json');
  try {
    Intl.getCanonicalLocales(tag);
  } catch {
    throw broken(file, `"${tag}" is not a BCP 47 language tag (name the file after its language, e.g. de.json or zh-Hant.json)`);
  }
  return tag;
}

function readJson<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw broken(file, `not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw broken(file, `${issue.path.length ? `"${issue.path.join('.')}": ` : ''}${issue.message}`);
  }
  return result.data;
}

function broken(file: string, reason: string): ClearcopyError {
  return new ClearcopyError('TEMPLATE_BROKEN', `${file}: broken message catalog: ${reason}`, { file });
}
