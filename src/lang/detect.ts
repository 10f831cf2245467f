import { franc, francAll } from 'franc-min';

/** ISO 639-3 codes franc returns, mapped to the BCP 47 (ISO 639-1 where one exists) tags pages use. */
const ISO639_3_TO_1: Record<string, string> = {
  eng: 'en', spa: 'es', fra: 'fr', deu: 'de', ita: 'it', por: 'pt', nld: 'nl', swe: 'sv', nob: 'nb', nno: 'nn', dan: 'da',
  fin: 'fi', pol: 'pl', ces: 'cs', slk: 'sk', slv: 'sl', hrv: 'hr', srp: 'sr', bos: 'bs', ron: 'ro', hun: 'hu', tur: 'tr',
  ell: 'el', rus: 'ru', ukr: 'uk', bel: 'be', bul: 'bg', mkd: 'mk', arb: 'ar', ara: 'ar', pes: 'fa', fas: 'fa', urd: 'ur',
  heb: 'he', hin: 'hi', ben: 'bn', mar: 'mr', guj: 'gu', pan: 'pa', tam: 'ta', tel: 'te', kan: 'kn', mal: 'ml', sin: 'si',
  npi: 'ne', nep: 'ne', cmn: 'zh', zho: 'zh', jpn: 'ja', kor: 'ko', vie: 'vi', tha: 'th', ind: 'id', zlm: 'ms', msa: 'ms',
  tgl: 'tl', swh: 'sw', swa: 'sw', amh: 'am', hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', xho: 'xh', som: 'so', cat: 'ca',
  glg: 'gl', eus: 'eu', lit: 'lt', lav: 'lv', est: 'et', kat: 'ka', hye: 'hy', aze: 'az', uzb: 'uz', kaz: 'kk', afr: 'af',
  ckb: 'ckb', mya: 'my', khm: 'km', lao: 'lo', mlg: 'mg', plt: 'mg', nya: 'ny', sna: 'sn', kin: 'rw', run: 'rn', tuk: 'tk',
  uig: 'ug', yid: 'yi', ilo: 'ilo', ceb: 'ceb', jav: 'jv', sun: 'su', ory: 'or', mai: 'mai', bho: 'bho', mag: 'mag', hat: 'ht',
};

/** Languages franc cannot tell apart well, so one may stand for the other. */
const CLOSE: string[][] = [['nb', 'nn', 'da', 'no'], ['sr', 'hr', 'bs'], ['ms', 'id'], ['hi', 'mr', 'ne', 'mai', 'bho', 'mag'], ['zh', 'ja'], ['fa', 'ur', 'ar'], ['gl', 'pt'], ['ca', 'es']];

/**
 * Detects the language of a text with franc (trigram statistics). Returns a BCP 47 primary
 * language subtag, or undefined when the text is too short or franc is unsure.
 */
export function detectLanguage(text: string, minLength = 120): string | undefined {
  const sample = text.replace(/\s+/g, ' ').trim().slice(0, 4000);
  if (sample.length < minLength) return undefined;
  const code = franc(sample, { minLength });
  if (code === 'und') return undefined;
  return ISO639_3_TO_1[code] ?? code;
}

/** True when a declared language tag and a detected language agree (by primary subtag, allowing close languages). */
export function languagesAgree(declared: string, detected: string): boolean {
  const a = declared.split('-')[0]!.toLowerCase();
  const b = detected.split('-')[0]!.toLowerCase();
  if (a === b) return true;
  return CLOSE.some((group) => group.includes(a) && group.includes(b));
}

/** True for a well-formed BCP 47 language tag (checked with the platform's Intl). */
export function isValidLanguageTag(tag: string): boolean {
  if (!tag || !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** What the text says about a declared language. */
export interface LanguageJudgement {
  /** The language the text reads as, when franc is sure enough to say (BCP 47 primary subtag). */
  detected?: string;
  /** True only when the text is long enough and clearly in another language than the one declared. */
  mismatch: boolean;
}

/**
 * Judges a declared language against the text. A mismatch needs at least `minLength` characters,
 * a detected language that is not the declared one (or a close relative) with a clear lead over the
 * runner-up, and a declared language that scores clearly below it: short or ambiguous text (e.g.
 * "lorem ipsum", which reads as several Romance languages at once) is never called a mismatch.
 */
export function judgeLanguage(declared: string | undefined, text: string, minLength = 400): LanguageJudgement {
  const sample = text.replace(/\s+/g, ' ').trim().slice(0, 6000);
  if (sample.length < 120) return { mismatch: false };
  const scores = francAll(sample, { minLength: 120 });
  const [top] = scores;
  if (!top || top[0] === 'und') return { mismatch: false };
  const detected = ISO639_3_TO_1[top[0]] ?? top[0];
  if (!declared) return { detected, mismatch: false };
  if (sample.length < minLength || languagesAgree(declared, detected)) return { detected, mismatch: false };
  const primary = declared.split('-')[0]!.toLowerCase();
  const declaredScore = scores.find(([code]) => (ISO639_3_TO_1[code] ?? code) === primary || languagesAgree(primary, ISO639_3_TO_1[code] ?? code))?.[1] ?? 0;
  // franc's scores sit close to 1 for related languages: ask for a clear lead over the runner-up too.
  const lead = 1 - (scores[1]?.[1] ?? 0);
  return { detected, mismatch: declaredScore < 0.97 && lead >= 0.01 };
}
