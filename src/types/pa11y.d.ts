// The part of pa11y 9's API clearcopy uses (pa11y ships no typings).
declare module 'pa11y' {
  import type { Browser, Page } from 'puppeteer';
  export interface Pa11yIssue {
    code: string;
    type: 'error' | 'warning' | 'notice';
    typeCode: number;
    message: string;
    context: string | null;
    selector: string;
    runner: string;
    runnerExtras?: Record<string, unknown>;
  }
  export interface Pa11yResults {
    documentTitle: string;
    pageUrl: string;
    issues: Pa11yIssue[];
  }
  export interface Pa11yOptions {
    browser?: Browser;
    page?: Page;
    ignoreUrl?: boolean;
    runners?: string[];
    standard?: 'WCAG2A' | 'WCAG2AA' | 'WCAG2AAA';
    includeWarnings?: boolean;
    includeNotices?: boolean;
    ignore?: string[];
    rootElement?: string | null;
    hideElements?: string | null;
    timeout?: number;
    wait?: number;
    log?: { debug(message: string): void; error(message: string): void; info(message: string): void };
  }
  function pa11y(url: string, options?: Pa11yOptions): Promise<Pa11yResults>;
  export default pa11y;
}
