/**
 * Function words that carry no topic. Kept short on purpose: negations («не», «нет», "not") and
 * question words that separate intents («когда», «где», «сколько») stay searchable.
 */
export const RUSSIAN_STOPWORDS: ReadonlySet<string> = new Set(
  `и в во на с со к ко по о об обо от до из у за над под при про для без через а но или либо же ли бы
  то это этот эта эти этого этой том тот та те так также тоже уже еще ещё вот вон там тут здесь
  я мне меня мной мы нас нам нами вы вас вам вами ты тебя тебе он она оно они его ее её их ему ей им
  ими него нее неё них нему ней ним мой моя мое моё мои ваш ваша ваше ваши наш наша наше наши свой
  своя свое своё свои который которая которое которые был была было были быть есть будет будут
  можно ну да пожалуйста подскажите скажите здравствуйте добрый день вечер утро привет спасибо
  очень просто как-то вообще всё все весь вся чтобы что-то что ли`.split(/\s+/u),
);

export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  `a an the and or but if of to in on at by for with from as is are was were be been being am do does
  did doing have has had having i me my we our us you your he him his she her it its they them their
  this that these those there here so than too very just also please hi hello thanks thank dear
  can could would should will shall may might must about into over under again then once`.split(/\s+/u),
);
