import type Handlebars from 'handlebars';
import type { CatalogSet } from './catalog.js';
import { escapeHtml, Localizer, type MessageValue } from './localizer.js';

/** What a template renders with: the document's localizer, and whether the output is HTML or plain text. */
export interface MessageData {
  ui: Localizer;
  /** `text` for the plain-text copy (messages unescaped, isolated by direction), `html` otherwise (default). */
  uiFormat?: 'html' | 'text';
}

/**
 * Registers the message helpers on a Handlebars instance. A template renders with `{ data: { ui } }`
 * (a {@link Localizer}; English when absent) and takes clearcopy's words by key:
 *
 * - `{{t "article.byline" name=byline}}`: the message, escaped; in another language than the
 *   document's, wrapped in `<span lang dir>`. In the text template: plain text, direction-isolated.
 * - `{{t-text "figure.noDescriptionAlt"}}`: the plain message, for attributes (`alt`, `aria-label`) and `<title>`.
 * - `{{{t-lang "figure.noDescriptionAlt"}}}`: ` lang="en" dir="ltr"` for the element holding such an
 *   attribute when the message is not in the document's language, else nothing.
 * - `{{time iso display}}`: `<time datetime="iso">display</time>`, and `{{link href text}}`: `<a href>text</a>`
 *   (the address when no text), to pass as message values.
 *
 * Values may be strings, numbers or HTML from another helper (a SafeString), which goes in as it is.
 */
export function registerMessageHelpers(hb: typeof Handlebars, catalogs: CatalogSet): void {
  const english = new Localizer(catalogs, 'en', 'ltr');
  const context = (options: Handlebars.HelperOptions) => {
    const data = options.data as Partial<MessageData> | undefined;
    return { ui: data?.ui ?? english, format: data?.uiFormat ?? 'html' };
  };
  const values = (options: Handlebars.HelperOptions): Record<string, MessageValue> => {
    const out: Record<string, MessageValue> = {};
    for (const [name, value] of Object.entries(options.hash as Record<string, unknown>)) {
      if (value instanceof hb.SafeString) out[name] = { html: value.toHTML() };
      else if (typeof value === 'number') out[name] = value;
      else out[name] = value === undefined || value === null ? '' : String(value);
    }
    return out;
  };
  hb.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) => {
    const { ui, format } = context(options);
    const given = values(options);
    if (format === 'text') {
      const plain = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === 'object' ? v.html : v]));
      return ui.textIsolated(String(key), plain);
    }
    return new hb.SafeString(ui.html(String(key), given));
  });
  hb.registerHelper('t-text', (key: unknown, options: Handlebars.HelperOptions) => context(options).ui.text(String(key), values(options)));
  hb.registerHelper('t-lang', (key: unknown, options: Handlebars.HelperOptions) => new hb.SafeString(context(options).ui.langAttributes(String(key))));
  hb.registerHelper('link', (href: unknown, ...rest: unknown[]) => {
    const text = rest.length > 1 ? rest[0] : href;
    return new hb.SafeString(`<a href="${escapeHtml(String(href ?? ''))}">${escapeHtml(String(text ?? ''))}</a>`);
  });
  hb.registerHelper('time', (iso: unknown, display: unknown) => new hb.SafeString(`<time datetime="${escapeHtml(String(iso ?? ''))}">${escapeHtml(String(display ?? iso ?? ''))}</time>`));
}
