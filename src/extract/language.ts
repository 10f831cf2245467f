import { francAll } from 'franc-min';
import { judgeLanguage } from '../lang/detect.js';

/** Scripts that identify a language well enough when a page does not declare one. */
const SCRIPT_LANGUAGES: [RegExp, string][] = [
  [/[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/gu, 'ar'],
  [/[\u0590-\u05FF]/gu, 'he'],
  [/[\u0900-\u097F]/gu, 'hi'],
  [/[\u0980-\u09FF]/gu, 'bn'],
  [/[\u0B80-\u0BFF]/gu, 'ta'],
  [/[\u3040-\u30FF]/gu, 'ja'],
  [/[\uAC00-\uD7AF]/gu, 'ko'],
  [/[\u4E00-\u9FFF]/gu, 'zh'],
  [/[\u0400-\u04FF]/gu, 'ru'],
  [/[\u0370-\u03FF]/gu, 'el'],
  [/[\u0E00-\u0E7F]/gu, 'th'],
];

/**
 * Guesses a language from the writing system of a text sample when the page declares none.
 * Returns undefined for Latin-script text (which needs a real language detector).
 */
export function guessLanguageFromScript(text: string): string | undefined {
  const sample = text.slice(0, 5000);
  const letters = (sample.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return undefined;
  let best: [string, number] | undefined;
  for (const [pattern, lang] of SCRIPT_LANGUAGES) {
    const count = (sample.match(pattern) ?? []).length;
    if (count > letters * 0.3 && (!best || count > best[1])) best = [lang, count];
  }
  // Japanese text mixes kana with kanji: kana anywhere means Japanese rather than Chinese.
  if (best?.[0] === 'zh' && /[\u3040-\u30FF]/u.test(sample)) return 'ja';
  return best?.[0];
}

/**
 * The language a text reads as, only when franc is sure: at least 120 characters and, under 400
 * characters, a lead over the runner-up and of at least 0.06 over the third (so a pair of close
 * relatives such as Malay and Indonesian still counts). A short run of pseudo-Latin placeholder text
 * ("lorem ipsum") scores French, Portuguese, English, Spanish and Italian within a few hundredths of
 * each other and gets no language from here; long placeholder text is not told apart.
 */
export function confidentLanguage(text: string): string | undefined {
  const sample = text.replace(/\s+/g, ' ').trim().slice(0, 6000);
  if (sample.length < 120) return undefined;
  const scores = francAll(sample, { minLength: 120 });
  const [top, second, third] = scores;
  if (!top || top[0] === 'und') return undefined;
  // franc's scores bunch up as text grows (6,000 characters of Spanish lead Portuguese by 0.02, and
  // repetitive Spanish by less than 0.01), so a lead is asked of short text only, where real
  // languages show one of 0.1 and more.
  if (sample.length < 400 && ((second && 1 - second[1] < 0.01) || (third && 1 - third[1] < 0.06))) return undefined;
  return judgeLanguage(undefined, sample).detected;
}
