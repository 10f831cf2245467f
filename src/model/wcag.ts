// WCAG 2.2 success criteria, and how clearcopy ties each finding to them: HTML_CodeSniffer codes
// name the criterion (`…Guideline1_1.1_1_1.H37`), axe rules carry `wcagNNN` tags (table below),
// and clearcopy's own rules are listed here.
import type { Finding } from '../model/finding.js';

/** WCAG success criteria (WCAG 2.2 numbering) and their Understanding-document slugs. */
export const SUCCESS_CRITERIA: Record<string, string> = {
  '1.1.1': 'non-text-content', '1.2.1': 'audio-only-and-video-only-prerecorded', '1.2.2': 'captions-prerecorded',
  '1.2.3': 'audio-description-or-media-alternative-prerecorded', '1.2.4': 'captions-live', '1.2.5': 'audio-description-prerecorded',
  '1.2.6': 'sign-language-prerecorded', '1.2.7': 'extended-audio-description-prerecorded', '1.2.8': 'media-alternative-prerecorded',
  '1.2.9': 'audio-only-live',
  '1.3.1': 'info-and-relationships', '1.3.2': 'meaningful-sequence', '1.3.3': 'sensory-characteristics', '1.3.4': 'orientation',
  '1.3.5': 'identify-input-purpose', '1.3.6': 'identify-purpose', '1.4.1': 'use-of-color', '1.4.2': 'audio-control',
  '1.4.3': 'contrast-minimum', '1.4.4': 'resize-text', '1.4.5': 'images-of-text', '1.4.6': 'contrast-enhanced',
  '1.4.7': 'low-or-no-background-audio', '1.4.8': 'visual-presentation', '1.4.9': 'images-of-text-no-exception',
  '1.4.10': 'reflow', '1.4.11': 'non-text-contrast', '1.4.12': 'text-spacing', '1.4.13': 'content-on-hover-or-focus',
  '2.1.1': 'keyboard', '2.1.2': 'no-keyboard-trap', '2.1.3': 'keyboard-no-exception', '2.1.4': 'character-key-shortcuts',
  '2.2.1': 'timing-adjustable', '2.2.2': 'pause-stop-hide', '2.2.3': 'no-timing', '2.2.4': 'interruptions', '2.2.5': 're-authenticating',
  '2.2.6': 'timeouts', '2.3.1': 'three-flashes-or-below-threshold', '2.3.2': 'three-flashes', '2.3.3': 'animation-from-interactions',
  '2.4.1': 'bypass-blocks', '2.4.2': 'page-titled', '2.4.3': 'focus-order', '2.4.4': 'link-purpose-in-context',
  '2.4.5': 'multiple-ways', '2.4.6': 'headings-and-labels', '2.4.7': 'focus-visible', '2.4.8': 'location', '2.4.9': 'link-purpose-link-only',
  '2.4.10': 'section-headings', '2.4.11': 'focus-not-obscured-minimum', '2.4.12': 'focus-not-obscured-enhanced',
  '2.4.13': 'focus-appearance', '2.5.1': 'pointer-gestures', '2.5.2': 'pointer-cancellation',
  '2.5.3': 'label-in-name', '2.5.4': 'motion-actuation', '2.5.5': 'target-size-enhanced', '2.5.6': 'concurrent-input-mechanisms',
  '2.5.7': 'dragging-movements', '2.5.8': 'target-size-minimum', '3.1.1': 'language-of-page', '3.1.2': 'language-of-parts',
  '3.1.3': 'unusual-words', '3.1.4': 'abbreviations', '3.1.5': 'reading-level', '3.1.6': 'pronunciation', '3.2.1': 'on-focus',
  '3.2.2': 'on-input', '3.2.3': 'consistent-navigation', '3.2.4': 'consistent-identification', '3.2.5': 'change-on-request',
  '3.2.6': 'consistent-help', '3.3.1': 'error-identification', '3.3.2': 'labels-or-instructions', '3.3.3': 'error-suggestion',
  '3.3.4': 'error-prevention-legal-financial-data', '3.3.5': 'help', '3.3.6': 'error-prevention-all', '3.3.7': 'redundant-entry',
  '3.3.8': 'accessible-authentication-minimum', '3.3.9': 'accessible-authentication-enhanced',
  '4.1.1': 'parsing', '4.1.2': 'name-role-value', '4.1.3': 'status-messages',
};

/** The success criteria's titles as WCAG 2.2 writes them (4.1.1 Parsing is obsolete in 2.2, kept for older reports). */
export const CRITERION_TITLES: Record<string, string> = {
  '1.1.1': 'Non-text Content', '1.2.1': 'Audio-only and Video-only (Prerecorded)',
  '1.2.2': 'Captions (Prerecorded)', '1.2.3': 'Audio Description or Media Alternative (Prerecorded)',
  '1.2.4': 'Captions (Live)', '1.2.5': 'Audio Description (Prerecorded)',
  '1.2.6': 'Sign Language (Prerecorded)', '1.2.7': 'Extended Audio Description (Prerecorded)',
  '1.2.8': 'Media Alternative (Prerecorded)', '1.2.9': 'Audio-only (Live)',
  '1.3.1': 'Info and Relationships', '1.3.2': 'Meaningful Sequence', '1.3.3': 'Sensory Characteristics',
  '1.3.4': 'Orientation', '1.3.5': 'Identify Input Purpose', '1.3.6': 'Identify Purpose',
  '1.4.1': 'Use of Color', '1.4.2': 'Audio Control', '1.4.3': 'Contrast (Minimum)', '1.4.4': 'Resize Text',
  '1.4.5': 'Images of Text', '1.4.6': 'Contrast (Enhanced)', '1.4.7': 'Low or No Background Audio',
  '1.4.8': 'Visual Presentation', '1.4.9': 'Images of Text (No Exception)', '1.4.10': 'Reflow',
  '1.4.11': 'Non-text Contrast', '1.4.12': 'Text Spacing', '1.4.13': 'Content on Hover or Focus',
  '2.1.1': 'Keyboard', '2.1.2': 'No Keyboard Trap', '2.1.3': 'Keyboard (No Exception)',
  '2.1.4': 'Character Key Shortcuts', '2.2.1': 'Timing Adjustable', '2.2.2': 'Pause, Stop, Hide',
  '2.2.3': 'No Timing', '2.2.4': 'Interruptions', '2.2.5': 'Re-authenticating', '2.2.6': 'Timeouts',
  '2.3.1': 'Three Flashes or Below Threshold', '2.3.2': 'Three Flashes',
  '2.3.3': 'Animation from Interactions', '2.4.1': 'Bypass Blocks', '2.4.2': 'Page Titled',
  '2.4.3': 'Focus Order', '2.4.4': 'Link Purpose (In Context)', '2.4.5': 'Multiple Ways',
  '2.4.6': 'Headings and Labels', '2.4.7': 'Focus Visible', '2.4.8': 'Location',
  '2.4.9': 'Link Purpose (Link Only)', '2.4.10': 'Section Headings',
  '2.4.11': 'Focus Not Obscured (Minimum)', '2.4.12': 'Focus Not Obscured (Enhanced)',
  '2.4.13': 'Focus Appearance', '2.5.1': 'Pointer Gestures', '2.5.2': 'Pointer Cancellation',
  '2.5.3': 'Label in Name', '2.5.4': 'Motion Actuation', '2.5.5': 'Target Size (Enhanced)',
  '2.5.6': 'Concurrent Input Mechanisms', '2.5.7': 'Dragging Movements', '2.5.8': 'Target Size (Minimum)',
  '3.1.1': 'Language of Page', '3.1.2': 'Language of Parts', '3.1.3': 'Unusual Words',
  '3.1.4': 'Abbreviations', '3.1.5': 'Reading Level', '3.1.6': 'Pronunciation', '3.2.1': 'On Focus',
  '3.2.2': 'On Input', '3.2.3': 'Consistent Navigation', '3.2.4': 'Consistent Identification',
  '3.2.5': 'Change on Request', '3.2.6': 'Consistent Help', '3.3.1': 'Error Identification',
  '3.3.2': 'Labels or Instructions', '3.3.3': 'Error Suggestion',
  '3.3.4': 'Error Prevention (Legal, Financial, Data)', '3.3.5': 'Help', '3.3.6': 'Error Prevention (All)',
  '3.3.7': 'Redundant Entry', '3.3.8': 'Accessible Authentication (Minimum)',
  '3.3.9': 'Accessible Authentication (Enhanced)', '4.1.1': 'Parsing', '4.1.2': 'Name, Role, Value',
  '4.1.3': 'Status Messages',
};

/** The four WCAG principles, by number. */
export const PRINCIPLES: Record<string, string> = { 1: 'Perceivable', 2: 'Operable', 3: 'Understandable', 4: 'Robust' };

/**
 * axe-core rules (4.11, the version pa11y 9 runs) and the success criteria their `wcagNNN` tags
 * name. Rules without a WCAG tag (best practices) are absent. Kept in step with the installed
 * axe-core by test/unit/report-wcag.test.ts.
 */
export const AXE_CRITERIA: Record<string, string[]> = {
  'area-alt': ['2.4.4', '4.1.2'], 'aria-allowed-attr': ['4.1.2'], 'aria-braille-equivalent': ['4.1.2'],
  'aria-command-name': ['4.1.2'], 'aria-conditional-attr': ['4.1.2'], 'aria-deprecated-role': ['4.1.2'],
  'aria-hidden-body': ['1.3.1', '4.1.2'], 'aria-hidden-focus': ['4.1.2'], 'aria-input-field-name': ['4.1.2'],
  'aria-meter-name': ['1.1.1'], 'aria-progressbar-name': ['1.1.1'], 'aria-prohibited-attr': ['4.1.2'],
  'aria-required-attr': ['4.1.2'], 'aria-required-children': ['1.3.1'], 'aria-required-parent': ['1.3.1'],
  'aria-roledescription': ['4.1.2'], 'aria-roles': ['4.1.2'], 'aria-toggle-field-name': ['4.1.2'],
  'aria-tooltip-name': ['4.1.2'], 'aria-valid-attr-value': ['4.1.2'], 'aria-valid-attr': ['4.1.2'],
  'audio-caption': ['1.2.1'], 'autocomplete-valid': ['1.3.5'], 'avoid-inline-spacing': ['1.4.12'],
  'blink': ['2.2.2'], 'button-name': ['4.1.2'], 'bypass': ['2.4.1'], 'color-contrast-enhanced': ['1.4.6'],
  'color-contrast': ['1.4.3'], 'css-orientation-lock': ['1.3.4'], 'definition-list': ['1.3.1'], 'dlitem': ['1.3.1'],
  'document-title': ['2.4.2'], 'duplicate-id-active': ['4.1.1'], 'duplicate-id-aria': ['4.1.2'],
  'duplicate-id': ['4.1.1'], 'form-field-multiple-labels': ['3.3.2'], 'frame-focusable-content': ['2.1.1'],
  'frame-title-unique': ['4.1.2'], 'frame-title': ['4.1.2'], 'html-has-lang': ['3.1.1'],
  'html-lang-valid': ['3.1.1'], 'html-xml-lang-mismatch': ['3.1.1'], 'identical-links-same-purpose': ['2.4.9'],
  'image-alt': ['1.1.1'], 'input-button-name': ['4.1.2'], 'input-image-alt': ['1.1.1', '4.1.2'],
  'label-content-name-mismatch': ['2.5.3'], 'label': ['4.1.2'], 'link-in-text-block': ['1.4.1'],
  'link-name': ['2.4.4', '4.1.2'], 'list': ['1.3.1'], 'listitem': ['1.3.1'], 'marquee': ['2.2.2'],
  'meta-refresh-no-exceptions': ['2.2.4', '3.2.5'], 'meta-refresh': ['2.2.1'], 'meta-viewport': ['1.4.4'],
  'nested-interactive': ['4.1.2'], 'no-autoplay-audio': ['1.4.2'], 'object-alt': ['1.1.1'],
  'p-as-heading': ['1.3.1'], 'role-img-alt': ['1.1.1'], 'scrollable-region-focusable': ['2.1.1', '2.1.3'],
  'select-name': ['4.1.2'], 'server-side-image-map': ['2.1.1'], 'summary-name': ['4.1.2'], 'svg-img-alt': ['1.1.1'],
  'table-fake-caption': ['1.3.1'], 'target-size': ['2.5.8'], 'td-has-header': ['1.3.1'],
  'td-headers-attr': ['1.3.1'], 'th-has-data-cells': ['1.3.1'], 'valid-lang': ['3.1.2'], 'video-caption': ['1.2.2'],
};

/** clearcopy's own rules and the criteria they serve. */
const CLEARCOPY_CRITERIA: Record<string, string[]> = {
  'clearcopy/needs-human-description': ['1.1.1'],
};

/** The success criteria a finding is about (may be empty, e.g. for axe best-practice rules). */
export function criteriaOf(finding: Pick<Finding, 'code' | 'source'>): string[] {
  const htmlcs = /Guideline\d+_\d+\.(\d+)_(\d+)_(\d+)/.exec(finding.code);
  if (htmlcs) return [`${htmlcs[1]}.${htmlcs[2]}.${htmlcs[3]}`];
  return AXE_CRITERIA[finding.code] ?? CLEARCOPY_CRITERIA[finding.code] ?? [];
}

/** A criterion's Understanding document (WCAG 2.2), e.g. `1.1.1` → …/Understanding/non-text-content.html. */
export function criterionUrl(criterion: string): string | undefined {
  const slug = SUCCESS_CRITERIA[criterion];
  return slug ? `https://www.w3.org/WAI/WCAG22/Understanding/${slug}.html` : undefined;
}

/** A criterion's display name, e.g. `1.4.3` → `1.4.3 Contrast (Minimum)`. */
export function criterionName(criterion: string): string {
  const title = CRITERION_TITLES[criterion];
  return title ? `${criterion} ${title}` : criterion;
}

/**
 * The WCAG Understanding document for a finding's first criterion (an HTML_CodeSniffer code, an
 * axe rule or a clearcopy rule), or undefined when the rule maps to none.
 */
export function understandingUrl(code: string): string | undefined {
  const [criterion] = criteriaOf({ code, source: 'htmlcs' });
  return criterion ? criterionUrl(criterion) : undefined;
}

/** Where to read about a rule: its Understanding document, else axe's rule page, else the WCAG quick reference. */
export function helpUrl(finding: Pick<Finding, 'code' | 'source'>): string {
  const understanding = understandingUrl(finding.code);
  if (understanding) return understanding;
  if (finding.source === 'axe') return `https://dequeuniversity.com/rules/axe/4.11/${encodeURIComponent(finding.code)}`;
  return 'https://www.w3.org/WAI/WCAG22/quickref/';
}
