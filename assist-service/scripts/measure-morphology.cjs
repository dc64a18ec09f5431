// Measures the Russian morphology candidates of docs/decisions/0003-russian-morphology.md on the
// slot/form pairs of assist-service/src/text/fixtures/morphology-cases.json. The candidates other
// than `az` are not dependencies; install them in a scratch folder outside the repository (here
// `../morph`, beside the clone) and point NODE_PATH at it:
//   (mkdir -p ../morph && cd ../morph && npm init -y && npm i az russian-nouns-js petrovich lvovich)
//   NODE_PATH=../morph/node_modules node assist-service/scripts/measure-morphology.cjs \
//     assist-service/src/text/fixtures/morphology-cases.json
const fs = require('node:fs');
const path = require('node:path');
const { cases } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

function timeRequire(name) {
  const started = performance.now();
  const module = require(name);
  return { module, ms: performance.now() - started };
}

function folderSize(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderSize(full) : fs.statSync(full).size;
  }
  return total;
}

const pluralCategory = (n) => {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return 'one';
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 'few';
  return 'many';
};

// ── Az.js ─────────────────────────────────────────────────────────────────────────────────
const az = timeRequire('az');
const Az = az.module;
const pending = [];
Az.load = (url, responseType, callback) => {
  const data = fs.readFileSync(url, responseType === 'json' ? 'utf8' : null);
  const value =
    responseType === 'json'
      ? JSON.parse(data)
      : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  pending.push(() => callback(null, value));
};
const azStart = performance.now();
Az.Morph.init(path.join(path.dirname(require.resolve('az')), '..', 'dicts'), (error) => {
  if (error) throw error;
});
while (pending.length) pending.shift()();
const azInit = performance.now() - azStart;

function azParse(word) {
  const parses = Az.Morph(word);
  return (
    parses.find((p) => p.tag.NOUN && p.tag.nomn) ?? parses.find((p) => p.tag.ADJF && p.tag.nomn) ?? parses[0]
  );
}
function azWord(word, grammemes, number, gender) {
  const parse = azParse(word);
  if (!parse) return word;
  if (parse.tag.Fixd) return word;
  const wanted = [...grammemes];
  if (number) wanted.push(number);
  if (gender && number === 'sing' && parse.tag.ADJF) wanted.push(gender);
  const form = parse.inflect(wanted) || parse.inflect(grammemes);
  return form ? matchCase(word, form.word) : word;
}
function matchCase(original, form) {
  return original[0] === original[0].toUpperCase() ? form[0].toUpperCase() + form.slice(1) : form;
}
function azPhrase(value, grammemes) {
  // Inflect words up to the first word that is not nominative (a preposition ends the head).
  const words = value.split(' ');
  const head = words.findIndex((word) => {
    const parses = Az.Morph(word);
    return parses.length === 0 || parses[0].tag.PREP || !parses.some((p) => p.tag.nomn);
  });
  const end = head === -1 ? words.length : head;
  const nounParse = words
    .slice(0, end)
    .map(azParse)
    .find((p) => p?.tag.NOUN);
  const number = nounParse?.tag.plur ? 'plur' : 'sing';
  const gender = ['masc', 'femn', 'neut'].find((g) => nounParse?.tag[g]);
  return words
    .map((word, index) => {
      if (index >= end) return word;
      if (word.includes('-')) {
        const [first, ...rest] = word.split('-');
        if (rest[0] === 'на') return [azWord(first, grammemes, number), ...rest].join('-');
        return [first, ...rest.slice(0, -1), azWord(rest.at(-1), grammemes, number)].join('-');
      }
      return azWord(word, grammemes, number, gender);
    })
    .join(' ');
}
function azCount(value, count) {
  const parse = azParse(value);
  const category = pluralCategory(count);
  if (category === 'one') return `${count} ${value}`;
  const form = parse.inflect(category === 'few' ? ['sing', 'gent'] : ['plur', 'gent']);
  return `${count} ${form ? form.word : value}`;
}
const azRun = (c) => (c.count !== undefined ? azCount(c.value, c.count) : azPhrase(c.value, [c.case]));

// ── russian-nouns-js ──────────────────────────────────────────────────────────────────────
const rn = timeRequire('russian-nouns-js');
const RN = rn.module;
const rnEngine = new RN.Engine();
const RN_CASE = {
  nomn: RN.Case.NOMINATIVE,
  gent: RN.Case.GENITIVE,
  datv: RN.Case.DATIVE,
  accs: RN.Case.ACCUSATIVE,
  ablt: RN.Case.INSTRUMENTAL,
  loct: RN.Case.PREPOSITIONAL,
};
function guessGender(word) {
  if (/[ая]$/u.test(word)) return RN.Gender.FEMININE;
  if (/[оеё]$/u.test(word)) return RN.Gender.NEUTER;
  if (/ь$/u.test(word)) return RN.Gender.FEMININE;
  return RN.Gender.MASCULINE;
}
function rnWord(word, grCase) {
  try {
    const lemma = RN.createLemma({ text: word.toLowerCase(), gender: guessGender(word.toLowerCase()) });
    const form = rnEngine.decline(lemma, grCase)[0];
    return form ? matchCase(word, form) : word;
  } catch {
    return word;
  }
}
function rnRun(c) {
  if (c.count !== undefined) {
    const category = pluralCategory(c.count);
    if (category === 'one') return `${c.count} ${c.value}`;
    try {
      const lemma = RN.createLemma({ text: c.value, gender: guessGender(c.value) });
      const form =
        category === 'few'
          ? rnEngine.decline(lemma, RN.Case.GENITIVE)[0]
          : rnEngine.decline(lemma, RN.Case.GENITIVE, rnEngine.pluralize(lemma)[0])[0];
      return `${c.count} ${form}`;
    } catch {
      return `${c.count} ${c.value}`;
    }
  }
  return c.value
    .split(' ')
    .map((word, index) => (index === 0 || c.kind === 'city' ? rnWord(word, RN_CASE[c.case]) : word))
    .join(' ');
}

// ── petrovich (names) and lvovich (names, cities) ─────────────────────────────────────────
const pt = timeRequire('petrovich');
const petrovich = pt.module;
const PT_CASE = {
  nomn: 'nominative',
  gent: 'genitive',
  datv: 'dative',
  accs: 'accusative',
  ablt: 'instrumental',
  loct: 'prepositional',
};
function ptRun(c) {
  if (c.kind !== 'name') return null;
  try {
    // detect_gender reads only a middle name: the gender comes from the ending, as ours would.
    const gender = /[ая]$/u.test(c.value) ? 'female' : 'male';
    return petrovich({ first: c.value, gender }, PT_CASE[c.case]).first;
  } catch {
    return c.value;
  }
}
const lv = timeRequire('lvovich');
const lvovich = lv.module;
function lvRun(c) {
  if (c.kind === 'name') return lvovich.incline({ first: c.value }, PT_CASE[c.case]).first;
  if (c.kind === 'city') {
    if (c.case === 'loct') return lvovich.cityIn(c.value);
    if (c.case === 'gent') return lvovich.cityFrom(c.value);
  }
  return null;
}

const candidates = [
  {
    name: 'az',
    run: azRun,
    load: az.ms + azInit,
    size: folderSize(path.join(path.dirname(require.resolve('az')), '..')),
  },
  {
    name: 'russian-nouns-js',
    run: rnRun,
    load: rn.ms,
    size: folderSize(path.dirname(require.resolve('russian-nouns-js'))),
  },
  {
    name: 'petrovich',
    run: ptRun,
    load: pt.ms,
    size: folderSize(path.dirname(require.resolve('petrovich'))),
  },
  {
    name: 'lvovich',
    run: lvRun,
    load: lv.ms,
    size: folderSize(path.join(path.dirname(require.resolve('lvovich')), '..')),
  },
];
const kinds = [...new Set(cases.map((c) => c.kind))];
for (const candidate of candidates) {
  const byKind = {};
  const misses = [];
  const started = performance.now();
  for (const c of cases) {
    const got = candidate.run(c);
    if (got === null) continue;
    byKind[c.kind] ??= { right: 0, n: 0 };
    byKind[c.kind].n++;
    if (got === c.expected) byKind[c.kind].right++;
    else misses.push(`${c.value}/${c.case ?? c.count}→${got}`);
  }
  const perCall = (performance.now() - started) / cases.length;
  const right = Object.values(byKind).reduce((sum, k) => sum + k.right, 0);
  const n = Object.values(byKind).reduce((sum, k) => sum + k.n, 0);
  console.log(
    `${candidate.name}: ${right}/${n} (of ${cases.length}); ` +
      kinds
        .map((kind) => `${kind} ${byKind[kind] ? `${byKind[kind].right}/${byKind[kind].n}` : '—'}`)
        .join(', ') +
      `; size ${(candidate.size / 1024 / 1024).toFixed(2)} MB; load ${candidate.load.toFixed(0)} ms; ${(perCall * 1000).toFixed(0)} µs/case`,
  );
  if (misses.length) console.log(`   misses: ${misses.join('; ')}`);
}
