/**
 * clearcopy's library API. The CLI (`clearcopy`) is a thin layer over these functions.
 * @packageDocumentation
 */
export { loadFile, loadBytes, type LoadedPage, type LoadOptions } from './load/file.js';
export { decodeHtml } from './load/decode.js';
export { extract, type ExtractOptions } from './extract/index.js';
export { normalize, NORMALIZE_STEPS, type NormalizeStep } from './normalize/index.js';
export { PREPARE_STEPS, type PrepareStep } from './extract/cleanup.js';
export { loadTemplates, DEFAULT_TEMPLATES_DIR, type TemplateSet } from './render/templates.js';
export { renderHtml } from './render/html.js';
export { renderText, bodyText, type TextOptions } from './render/text.js';
export { openAuditor, type Auditor, type AuditorOptions, type AuditOutcome, type PageCheck, type Standard, type RunnerName } from './audit/auditor.js';
export { findBrowser, type BrowserLocation } from './audit/browser.js';
export { openLiveAuditor, type LiveAuditor, type LiveAuditorOptions, type LiveOutcome, type PageLoadOptions } from './audit/live.js';
export { auditSite, type SitePage, type SitePageResult, type SiteAuditOptions, type SiteAudit } from './audit/site.js';
export { serveSite, type SiteServer } from './audit/site-server.js';
export { urlsFromSitemap, urlsFromList, type SitemapOptions } from './load/sitemap.js';
export { renderFiles, renderSources, renderCopy, type RenderFilesOptions, type Copy, type ProgressEvent } from './pipeline.js';
export { REPORTERS, type Reporter, type ReportContext } from './report/index.js';
export { applyGate, baselineOf, fingerprintOf, type GatePolicy, type PageRule, type Baseline, type BaselineIssue } from './report/gate.js';
export { mergeRuns, runFromReport } from './report/merge.js';
export { exitCodeFor, gateVerdict, EXIT, type FailOn, type Gate, type Verdict, type ExitCode, type FatalOutcome } from './exit-code.js';
export { loadConfig, findConfig, type Config } from './config/index.js';
export { auditInputs, type AuditTarget } from './cli/audit-pages.js';
export { expandAuditInputs, type AuditInput } from './cli/inputs.js';
export { writeFileAtomic, safeName } from './output.js';
export { ClearcopyError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';
export type { ClearDoc, Meta, Source, Block, FigureBlock, FigureImage, Inline, ArchiveNotice } from './model/document.js';
export type { Finding, Severity, FindingSource } from './model/finding.js';
export type { RunResult, PageResult, Counts, ReportedFinding, GateSummary } from './model/run-result.js';
export { sourcesFromPaths, sourcesFromInputs, type PageSource, type SourceListing } from './load/sources.js';
