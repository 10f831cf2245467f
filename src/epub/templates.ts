import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ClearcopyError } from '../errors.js';
import { DEFAULT_TEMPLATES_DIR } from '../render/templates.js';

/** The EPUB's own template files, in `<templates>/epub/`. */
export const EPUB_TEMPLATE_FILES = ['chapter.xhtml.hbs', 'nav.xhtml.hbs', 'package.opf.hbs', 'styles.css'] as const;

/** Compiled EPUB templates: the chapter uses the article's block partials, with XHTML versions from `epub/partials/` over them. */
export interface EpubTemplates {
  dir: string;
  chapter: Handlebars.TemplateDelegate;
  nav: Handlebars.TemplateDelegate;
  opf: Handlebars.TemplateDelegate;
  css: string;
}

/**
 * Loads the EPUB templates of a templates folder (default: clearcopy's own): the block partials of
 * `<dir>/partials/` (the same as the HTML copy's), then `<dir>/epub/partials/` over them, and the
 * package, nav and chapter templates of `<dir>/epub/` (clearcopy's own when the folder has no `epub/`).
 */
export function loadEpubTemplates(dir: string = DEFAULT_TEMPLATES_DIR): EpubTemplates {
  const epubDir = existsSync(path.join(dir, 'epub')) ? path.join(dir, 'epub') : path.join(DEFAULT_TEMPLATES_DIR, 'epub');
  const hb = Handlebars.create();
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new ClearcopyError('TEMPLATE_MISSING', `${file}: template file is missing (an epub templates folder needs ${EPUB_TEMPLATE_FILES.join(', ')})`, { file, cause: error });
    }
  };
  const compile = (file: string): Handlebars.TemplateDelegate => {
    const source = read(file);
    try {
      hb.parse(source);
    } catch (error) {
      throw new ClearcopyError('TEMPLATE_BROKEN', `${file}: broken template: ${String((error as Error).message).split('\n')[0]}`, { file, cause: error });
    }
    return hb.compile(source, { strict: false });
  };
  for (const partials of [path.join(dir, 'partials'), path.join(epubDir, 'partials')]) {
    for (const file of listHbs(partials)) hb.registerPartial(file.slice(0, -4), read(path.join(partials, file)));
  }
  return {
    dir: epubDir,
    chapter: compile(path.join(epubDir, 'chapter.xhtml.hbs')),
    nav: compile(path.join(epubDir, 'nav.xhtml.hbs')),
    opf: compile(path.join(epubDir, 'package.opf.hbs')),
    css: read(path.join(epubDir, 'styles.css')),
  };
}

function listHbs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((file) => file.endsWith('.hbs')).sort();
  } catch {
    return [];
  }
}
