/**
 * The original archived page, made safe to audit: its scripts cannot run (a Content-Security-Policy
 * that allows no script is put first in <head>, and meta refreshes are removed) and, in the audit
 * browser, every request is blocked. What pa11y then sees is the page as a reader with scripts and
 * network off would meet it — the "before" of a before/after report.
 */
export function inertOriginal(html: string): string {
  const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'">`;
  let out = html.replace(/<meta\b[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*>/gi, '');
  if (/<head\b[^>]*>/i.test(out)) out = out.replace(/<head\b[^>]*>/i, (head) => `${head}${csp}`);
  else if (/<html\b[^>]*>/i.test(out)) out = out.replace(/<html\b[^>]*>/i, (root) => `${root}<head>${csp}</head>`);
  else out = `${csp}${out}`;
  return out;
}
