import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ClearcopyError } from '../errors.js';
import { builtInLocalesDir, loadCatalogs, type CatalogSet } from '../i18n/catalog.js';
import { registerMessageHelpers, type MessageData } from '../i18n/handlebars.js';

/** clearcopy's own templates folder (`templates/` at the package root). */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

let builtInCatalogs: CatalogSet | undefined;

/** clearcopy's own message catalogs (`templates/locales/`), read once. */
export function defaultCatalogs(): CatalogSet {
  return (builtInCatalogs ??= loadCatalogs(builtInLocalesDir(DEFAULT_TEMPLATES_DIR)));
}

/** The message catalogs of a templates folder: clearcopy's own, with the folder's `locales/` laid over them. */
export function catalogsOf(dir: string = DEFAULT_TEMPLATES_DIR): CatalogSet {
  return path.resolve(dir) === path.resolve(DEFAULT_TEMPLATES_DIR) ? defaultCatalogs() : loadCatalogs(builtInLocalesDir(DEFAULT_TEMPLATES_DIR), builtInLocalesDir(dir));
}

/** Files every templates folder must have, and the partials clearcopy's article template uses. */
export const TEMPLATE_FILES = ['article.html.hbs', 'article.txt.hbs', 'styles.css'] as const;
export const PARTIAL_NAMES = ['header', 'blocks', 'paragraph', 'heading', 'list', 'quote', 'code', 'rule', 'table', 'table-cell', 'figure', 'provenance'] as const;

/** Compiled templates, ready to render. */
export interface TemplateSet {
  dir: string;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  css: string;
  /** The Handlebars instance the templates were compiled with (own instance, own partials, the message helpers). */
  handlebars: typeof Handlebars;
  /** The message catalogs: clearcopy's own `templates/locales/`, with the folder's own `locales/` laid over them. */
  catalogs: CatalogSet;
}

/**
 * Loads and compiles a templates folder with the same file names as clearcopy's own, and the
 * message catalogs (a folder's `locales/*.json` add languages or replace messages, key by key).
 * Throws `TEMPLATE_MISSING` or `TEMPLATE_BROKEN` naming the file and what to do.
 */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): TemplateSet {
  const hb = Handlebars.create();
  const catalogs = catalogsOf(dir);
  registerMessageHelpers(hb, catalogs);
  const read = (file: string): string => {
    const full = path.join(dir, file);
    try {
      return readFileSync(full, 'utf8');
    } catch (error) {
      throw new ClearcopyError('TEMPLATE_MISSING', `${full}: template file is missing (a templates folder needs ${[...TEMPLATE_FILES, ...PARTIAL_NAMES.map((p) => `partials/${p}.hbs`)].join(', ')})`, { file: full, cause: error });
    }
  };
  const compile = (file: string, source: string, options: CompileOptions = {}): Handlebars.TemplateDelegate => {
    try {
      hb.parse(source); // compile() is lazy: parse now so a syntax error names its file up front
    } catch (error) {
      const reason = String((error as Error).message).split('\n').filter(Boolean).slice(0, 1).join(' ');
      throw new ClearcopyError('TEMPLATE_BROKEN', `${path.join(dir, file)}: broken template: ${reason}`, { file: path.join(dir, file), cause: error });
    }
    return hb.compile(source, { strict: false, ...options });
  };
  const partialsDir = path.join(dir, 'partials');
  const available = new Set(safeList(partialsDir).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4)));
  for (const name of PARTIAL_NAMES) {
    if (!available.has(name)) read(`partials/${name}.hbs`); // throws TEMPLATE_MISSING
  }
  for (const name of available) {
    const file = `partials/${name}.hbs`;
    const source = read(file);
    compile(file, source);
    hb.registerPartial(name, source);
  }
  const html = compile('article.html.hbs', read('article.html.hbs'));
  const text = compile('article.txt.hbs', read('article.txt.hbs'), { noEscape: true });
  const css = read('styles.css');
  return { dir, html, text, css, handlebars: hb, catalogs };
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Runs a compiled template with the document's localizer (`@ui` in templates, for the message
 * helpers), turning a runtime error (e.g. a partial or a message key that is missing) into one naming the template.
 */
export function runTemplate(set: TemplateSet, which: 'html' | 'text', context: object, data?: MessageData): string {
  try {
    return set[which](context, data ? { data: { ...data, uiFormat: data.uiFormat ?? which } } : undefined);
  } catch (error) {
    const file = path.join(set.dir, which === 'html' ? 'article.html.hbs' : 'article.txt.hbs');
    throw new ClearcopyError('TEMPLATE_BROKEN', `${file}: template failed while rendering: ${String((error as Error).message).split('\n')[0]}`, { file, cause: error });
  }
}
