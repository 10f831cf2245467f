// Words that site furniture is written in, in the languages archived pages come in most (English,
// German, French, Spanish, Polish, Italian, Portuguese, Dutch). Each list is a regular-expression
// alternation, used whole-label by the steps that remove what a reader never wants read aloud.

/** The end of a word in any script (`\b` knows ASCII letters only: "też" would never end); needs the `u` flag. */
const WORD_END = '(?![\\p{L}\\p{N}])';

/** Labels of links to other stories ("Related", "Auch interessant", "À lire aussi", "Lea también", "Czytaj też"). */
export const RELATED_PHRASES = [
  // English
  'also on\\b', 'related\\b', 'more (?:from|on|in|stories|news|articles)\\b', 'recommended\\b', 'read (?:more|also|next)\\b',
  'you (?:may|might) (?:also )?like\\b', 'most (?:popular|read|viewed|shared)\\b', 'trending\\b', 'popular (?:now|stories)\\b',
  'don\'t miss\\b', 'top stories\\b', 'latest (?:news|stories)\\b',
  // German
  '(?:das|dies|diese[sr]?)(?: thema)? könnte (?:dich|sie|euch) (?:auch |ebenfalls )?interessieren', '(?:auch|ebenfalls|ebenso) interessant',
  '(?:weitere|mehr|ähnliche|verwandte|passende|empfohlene|aktuelle|neueste|beliebte) (?:artikel|beiträge|themen|nachrichten|news|meldungen|geschichten|storys|stories|videos|rezepte|tipps|tourentipps|links)\\b',
  'weitere beiträge\\b', 'mehr (?:zum|zu diesem) thema\\b', 'beiträge zum thema\\b', 'mehr themen\\b', 'das könnte (?:dich|sie) auch',
  'meist(?:-| )?(?:gelesen|diskutiert|kommentiert|geteilt|geklickt)e?\\b', 'am meisten (?:gelesen|kommentiert)\\b', 'top[- ]?(?:themen|artikel)\\b',
  'lesen sie (?:auch|mehr|hier|weiter)\\b', 'lies auch\\b', 'heute empfehlen wir\\b', 'unsere empfehlungen\\b',
  'entdecke(?:n sie)? (?:weitere|mehr|jetzt)\\b', 'noch mehr (?:infos|artikel|beiträge|themen|tipps|news)\\b', 'weiterführende(?:r)? (?:links?|artikel|beiträge|informationen)\\b',
  'passend (?:dazu|zum thema)\\b', 'zum weiterlesen\\b', 'ebenfalls lesenswert\\b', 'auch lesenswert\\b', 'das könnte sie auch',
  // French
  'à lire aussi\\b', 'a lire aussi\\b', 'lire aussi\\b', 'à voir aussi\\b', 'voir aussi\\b', 'sur le même (?:sujet|thème)\\b',
  '(?:articles|contenus|sujets) (?:similaires|liés|associés|recommandés)\\b', 'les plus (?:lus|partagés|commentés)\\b',
  '(?:audios et )?vidéos sur le sujet\\b', 'plus d\'articles\\b', 'dans la même rubrique\\b', 'vous (?:aimerez|pourriez aimer) aussi\\b',
  // Spanish, Portuguese, Italian
  'lea (?:también|además|más)\\b', 'lee (?:también|además|más)\\b', 'vea (?:también|además)\\b', 'ver (?:también|además)\\b',
  '(?:le|te) puede interesar\\b', '(?:noticias|artículos|notas) relacionad[oa]s\\b', 'también te puede\\b', 'lo más (?:leído|visto)\\b',
  'más (?:leídas|leídos|vistos|noticias)\\b', 'te recomendamos\\b', 'leia (?:também|mais)\\b', 'veja (?:também|mais)\\b',
  'notícias relacionadas\\b', 'mais lidas\\b', 'leggi anche\\b', 'potrebbe interessarti\\b', 'articoli correlati\\b', 'più lett[ie]\\b',
  // Polish, Dutch
  'czytaj (?:też|także|również|więcej)\\b', 'zobacz (?:też|także|również)\\b', 'polecamy\\b', 'podobne (?:artykuły|wpisy)\\b',
  'najczęściej (?:czytane|komentowane)\\b', 'najpopularniejsze\\b', 'lees ook\\b', 'meer nieuws\\b', 'gerelateerde artikelen\\b',
  // Arabic, Hindi
  'اقرأ أيضا', 'اقرأ أيضاً', 'مواضيع ذات صلة', 'ये भी पढ़ें', 'यह भी पढ़ें',
].join('|').replaceAll('\\b', WORD_END);

/**
 * One-line pointers to another story, the label then a colon or arrow and the story's title
 * ("READ MORE: …", "Lea también: …", "À lire aussi » …", "LE PUEDE INTERESAR: …").
 */
export const POINTER_PHRASES = [
  '(?:see|read|watch|listen|click)(?: (?:more|also|next|now))?', 'related', 'more', 'also read', 'read also', 'recommended', 'don\'t miss', 'must read', 'trending',
  'lea(?: (?:también|además|más))?', 'lee(?: (?:también|además|más))?', 'vea(?: también)?', 'ver también', '(?:le|te) puede interesar', 'también (?:te puede interesar|lee)',
  '(?:à )?lire aussi', '(?:à )?voir aussi', 'lesen sie (?:auch|mehr)', 'lies auch', 'auch interessant', 'mehr (?:dazu|zum thema)', 'siehe auch',
  'czytaj (?:też|także|również)', 'zobacz (?:też|także|również)', 'leggi anche', 'leia também', 'veja também', 'lees ook',
].join('|');
