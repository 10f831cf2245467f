/** clearcopy uses a system Chromium (see src/audit/browser.ts); never download one on install. */
module.exports = { skipDownload: true };
