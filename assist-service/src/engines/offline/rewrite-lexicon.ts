/**
 * Word lists of the offline rewrite rules, Russian and English. Only words that carry no fact:
 * hedges that say how sure we are («скорее всего», "probably") are not here, because dropping
 * them would turn an estimate into a promise.
 */

export type Language = 'ru' | 'en';

/** Words that fill a sentence without changing what it says. */
export const FILLERS: Readonly<Record<Language, readonly string[]>> = {
  ru: [
    'собственно говоря',
    'собственно',
    'в общем-то',
    'в общем',
    'как бы',
    'так сказать',
    'в принципе',
    'на самом деле',
    'вообще-то',
    'честно говоря',
    'если честно',
    'буквально',
    'фактически',
  ],
  en: [
    'basically',
    'actually',
    'literally',
    'just',
    'really',
    'kind of',
    'sort of',
    'to be honest',
    'honestly',
  ],
};

/** Wordy turns and their short equivalents. */
export const WORDY: Readonly<Record<Language, ReadonlyArray<readonly [string, string]>>> = {
  ru: [
    ['в данный момент', 'сейчас'],
    ['на данный момент', 'сейчас'],
    ['в настоящий момент', 'сейчас'],
    ['в настоящее время', 'сейчас'],
    ['на сегодняшний день', 'сейчас'],
    ['для того, чтобы', 'чтобы'],
    ['для того чтобы', 'чтобы'],
    ['в связи с тем, что', 'так как'],
    ['в связи с тем что', 'так как'],
    ['в случае, если', 'если'],
    ['в случае если', 'если'],
    ['по причине того, что', 'так как'],
    ['в том случае, если', 'если'],
  ],
  en: [
    ['at this point in time', 'now'],
    ['at the present time', 'now'],
    ['at this moment in time', 'now'],
    ['in order to', 'to'],
    ['due to the fact that', 'because'],
    ['owing to the fact that', 'because'],
    ['in the event that', 'if'],
    ['prior to', 'before'],
    ['with regard to', 'about'],
    ['with regards to', 'about'],
    ['in regard to', 'about'],
    ['a large number of', 'many'],
  ],
};

/** Openings that announce what follows instead of saying it («Хотим сообщить, что …»). */
export const PREAMBLES: Readonly<Record<Language, readonly string[]>> = {
  ru: [
    'хотим сообщить вам, что',
    'хотим сообщить, что',
    'хочу сообщить вам, что',
    'хочу сообщить, что',
    'спешим сообщить, что',
    'хотелось бы отметить, что',
    'обращаем ваше внимание на то, что',
    'обращаем ваше внимание, что',
    'обращаю ваше внимание на то, что',
    'обращаю ваше внимание, что',
    'сообщаем вам, что',
    'информируем вас о том, что',
    'как я уже говорила,',
    'как я уже говорил,',
    'как я уже писала,',
    'как я уже писал,',
    'как мы уже писали,',
    'как уже было сказано,',
  ],
  en: [
    'i would like to inform you that',
    'we would like to inform you that',
    'i just wanted to let you know that',
    'i wanted to let you know that',
    'i wanted to say that',
    'please be advised that',
    'please note that',
    'please be aware that',
    'as i mentioned before,',
    'as i mentioned,',
    'as mentioned earlier,',
    'as mentioned before,',
    'as mentioned,',
  ],
};

/** Whole sentences that carry nothing to act on. */
export const EMPTY_SENTENCES: Readonly<Record<Language, readonly RegExp[]>> = {
  ru: [
    /^надеюсь,? (что )?(это|мой ответ|эта информация) (поможет|помог|был[аи]? полезн)\p{L}*[.!]?$/iu,
    /^надеюсь,? (что )?я (смогл[аи]?|смог) (вам )?помочь[.!]?$/iu,
    /^надеюсь,? (что )?я ответил[аи]? на (ваш|твой) вопрос[.!]?$/iu,
  ],
  en: [
    /^(i )?hope (this|that|my answer) helps[.!]?$/iu,
    /^i hope (this|that) (information )?(is|was) helpful[.!]?$/iu,
    /^i hope i (was able to help|have answered your question)[.!]?$/iu,
  ],
};

export type Pleasantry = 'greeting' | 'thanks' | 'apology' | 'closing';

/** Phrases that make a short sentence one of the script's pleasantries. */
export const PLEASANTRIES: Readonly<Record<Pleasantry, readonly string[]>> = {
  greeting: [
    'здравствуйте',
    'добрый день',
    'добрый вечер',
    'доброе утро',
    'приветствую',
    'hello',
    'good morning',
    'good afternoon',
    'good evening',
  ],
  thanks: ['спасибо', 'благодарю', 'благодарим', 'thank you', 'thanks'],
  apology: [
    'приносим извинения',
    'приношу извинения',
    'извините',
    'прошу прощения',
    'нам очень жаль',
    'нам жаль',
    'сожалеем',
    'we apologise',
    'we apologize',
    'i apologise',
    'i apologize',
    'sorry',
  ],
  closing: [
    'хорошего дня',
    'хорошего вечера',
    'всего доброго',
    'всего хорошего',
    'хороших выходных',
    'до свидания',
    'чем-то помочь',
    'чем ещё',
    'рада была помочь',
    'рад был помочь',
    'были рады помочь',
    'если останутся вопросы',
    'если появятся вопросы',
    'ответьте на это письмо',
    'have a nice day',
    'have a good day',
    'if you have any other questions',
    'if you have any further questions',
    'reply to this e-mail',
    'have a great day',
    'anything else',
    'happy to help',
    'glad to help',
  ],
};

/** Words in a polite-imperative opening that are not requests («Здравствуйте», «Извините»). */
export const NOT_REQUESTS = new Set([
  'здравствуйте',
  'извините',
  'простите',
  'представьте',
  'поверьте',
  'пожалуйста',
  'спасибо',
  'увидите',
  'узнаете',
]);

/** English verbs that open a bare instruction («Send us a photo»). */
export const EN_INSTRUCTION_VERBS = new Set(
  `send provide check call contact wait fill attach go click open enter reply tell confirm describe try visit
  bring keep return use follow include update restart choose select write make pick upload sign share take
  let note specify forward ship pack download install remove`.split(/\s+/u),
);

/** Slang and chat shorthand with the words business writing uses. */
export const SLANG: Readonly<Record<Language, ReadonlyArray<readonly [string, string]>>> = {
  ru: [
    ['щас', 'сейчас'],
    ['ща', 'сейчас'],
    ['оч', 'очень'],
    ['норм', 'хорошо'],
    ['окей', 'хорошо'],
    ['ок', 'хорошо'],
    ['ладушки', 'хорошо'],
    ['спс', 'спасибо'],
    ['пасиб', 'спасибо'],
    ['пасибо', 'спасибо'],
    ['спасибки', 'спасибо'],
    ['плиз', 'пожалуйста'],
    ['пжл', 'пожалуйста'],
    ['пжлст', 'пожалуйста'],
    ['пож', 'пожалуйста'],
    ['сорян', 'извините'],
    ['сори', 'извините'],
    ['сорри', 'извините'],
    ['инфа', 'информация'],
    ['инфу', 'информацию'],
    ['кста', 'кстати'],
    ['ваще', 'вообще'],
    ['чё', 'что'],
    ['че', 'что'],
    ['шо', 'что'],
    ['лол', ''],
  ],
  en: [
    ['gonna', 'going to'],
    ['wanna', 'want to'],
    ['gotta', 'have to'],
    ['thx', 'thank you'],
    ['thanx', 'thank you'],
    ['ty', 'thank you'],
    ['pls', 'please'],
    ['plz', 'please'],
    ['asap', 'as soon as possible'],
    ['btw', 'by the way'],
    ['fyi', 'for your information'],
    ['yeah', 'yes'],
    ['yep', 'yes'],
    ['yup', 'yes'],
    ['nope', 'no'],
    ['okay', 'all right'],
    ['ok', 'all right'],
    ['u', 'you'],
    ['ur', 'your'],
    ['lol', ''],
  ],
};

/** Familiar greetings and goodbyes and their formal counterparts. */
export const FAMILIAR: Readonly<Record<Language, ReadonlyArray<readonly [string, string]>>> = {
  ru: [
    ['приветик', 'здравствуйте'],
    ['привет', 'здравствуйте'],
    ['хай', 'здравствуйте'],
    ['дорогуша', ''],
  ],
  en: [
    ['hey there', 'hello'],
    ['hiya', 'hello'],
    ['hey', 'hello'],
    ['hi', 'hello'],
    ['bye-bye', 'goodbye'],
    ['bye', 'goodbye'],
    ['cheers', 'kind regards'],
    ['mate', ''],
    ['buddy', ''],
    ['dude', ''],
  ],
};

/** English contractions spelled out; "it's been" first so it becomes "it has been". */
export const CONTRACTIONS: ReadonlyArray<readonly [string, string]> = [
  ["it's been", 'it has been'],
  ["can't", 'cannot'],
  ["won't", 'will not'],
  ["don't", 'do not'],
  ["doesn't", 'does not'],
  ["didn't", 'did not'],
  ["isn't", 'is not'],
  ["aren't", 'are not'],
  ["wasn't", 'was not'],
  ["weren't", 'were not'],
  ["haven't", 'have not'],
  ["hasn't", 'has not'],
  ["couldn't", 'could not'],
  ["wouldn't", 'would not'],
  ["shouldn't", 'should not'],
  ["i'm", 'I am'],
  ["i've", 'I have'],
  ["i'll", 'I will'],
  ["i'd", 'I would'],
  ["we're", 'we are'],
  ["we've", 'we have'],
  ["we'll", 'we will'],
  ["you're", 'you are'],
  ["you've", 'you have'],
  ["you'll", 'you will'],
  ["it's", 'it is'],
  ["that's", 'that is'],
  ["there's", 'there is'],
  ["let's", 'let us'],
];

/** Russian «Вы» forms written with a capital in a letter to one person. */
export const VY_FORMS = new Set(
  'вы вас вам вами ваш ваша ваше ваши вашего вашей вашему вашим вашими ваших вашу вашею'.split(' '),
);
