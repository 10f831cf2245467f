import { describe, expect, it } from 'vitest';
import { isValidLanguageTag, judgeLanguage } from '../../src/lang/detect.js';

const spanish = 'Abdullah Ocalan, el líder independentista kurdo, desembarcó en Italia en noviembre de 1998 con la esperanza de obtener asilo político, pero el gobierno italiano se negó a concederlo y comenzó una larga disputa diplomática con Turquía, que reclamaba su extradición. '.repeat(3);
const english = 'The road to retiring early is not easy, but with careful planning and disciplined saving many people manage to leave work years before the usual age and enjoy a long and comfortable retirement. '.repeat(3);
const lorem = 'Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. '.repeat(3);

describe('language judgement', () => {
  it('calls a clear mismatch a mismatch', () => {
    expect(judgeLanguage('en', spanish)).toEqual({ detected: 'es', mismatch: true });
    expect(judgeLanguage('de', english)).toEqual({ detected: 'en', mismatch: true });
  });
  it('accepts the right language, close relatives, and ambiguous or short text', () => {
    expect(judgeLanguage('es-AR', spanish).mismatch).toBe(false);
    expect(judgeLanguage('en', english).mismatch).toBe(false);
    expect(judgeLanguage('en', lorem).mismatch).toBe(false);
    expect(judgeLanguage('de', 'Too short to judge.').mismatch).toBe(false);
  });
  it('detects the language of undeclared text', () => {
    expect(judgeLanguage(undefined, spanish)).toEqual({ detected: 'es', mismatch: false });
  });
  it('validates BCP 47 tags', () => {
    for (const tag of ['en', 'en-GB', 'zh-Hant-TW', 'pt-BR', 'ar']) expect(isValidLanguageTag(tag), tag).toBe(true);
    for (const tag of ['english', '', 'en_GB', 'e', '123']) expect(isValidLanguageTag(tag), tag).toBe(false);
  });
});
