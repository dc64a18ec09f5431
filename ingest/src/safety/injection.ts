import { matchRules, type SafetyRule } from './match.ts';
import type { SafetyFinding } from './types.ts';

/**
 * Prompt injection: text that speaks to the model rather than to a person. Written from the
 * published attack families (OWASP LLM01, BIPIA's train split, garak's probe families), in Russian
 * and English; measured on held-out data by the `prompt-injection` eval suite (figures in its
 * YAML and in docs/decisions/0015-injection-detector.md). Rules only, no fitted weights: any rule
 * that matches flags the text.
 *
 * A customer writing «не обращайте внимания на прошлое сообщение» is not an attack: every rule
 * needs a word of the model's world (instructions, prompt, your answer, a chat role marker).
 */

/** Word edges that work for Cyrillic too (`\b` in JavaScript is ASCII-only). */
const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;

function rule(id: string, source: string): SafetyRule {
  return { id, kind: 'prompt-injection', pattern: new RegExp(source, 'giu') };
}

const EN_INSTRUCTION_NOUNS = String.raw`(?:instructions?|directions?|directives?|prompts?|rules|guidelines|commands?|system\s+message|programming|constraints|guardrails)`;
const RU_INSTRUCTION_NOUNS = String.raw`(?:инструкци\p{L}*|указани\p{L}*|правил\p{L}*|промпт\p{L}*|установк\p{L}*|директив\p{L}*|команд\p{L}*|ограничени\p{L}*)`;
/** The reply the model is to write, as an attacker names it. */
const EN_REPLY = String.raw`(?:answer|response|reply|output|message)(?:'s)?`;
/** Up to a sentence's end; a dot inside a link or a «!» before a closing quote does not end it. */
const IN_SENTENCE = String.raw`(?:[^.!?\n]|[.!?](?=\S))`;
const EN_REPLY_VERBS = `(?:add|include|integrate|insert|append|incorporate|mention|modify|augment|enhance|embed|put|translate|encode|encrypt|convert|rewrite|reverse|format|begin|start|end|finish|write|use|replace|provide|render|scramble|remove|group|combine|introduce|substitute|misspell|jumble|rearrange|anagram|tease|suggest|hint|promote|express|conclude)`;

const RULES: readonly SafetyRule[] = [
  // «Ignore previous instructions» and its relatives.
  rule(
    'ignore-instructions',
    String.raw`${B}(?:ignore|disregard|forget|overrid(?:e|ing)|bypass|skip|abandon|drop)${E}[\s,]+(?:(?:all|any|every|of|the|your|these|those|my|previous|prior|above|earlier|preceding|original|initial|system|existing|other|former|current|given|safety|mentioned|aforementioned|whatever)[\s,]+){0,4}${EN_INSTRUCTION_NOUNS}${E}`,
  ),
  rule(
    'ignore-above',
    String.raw`${B}(?:ignore|disregard|forget)${E}\s+(?:the\s+|all\s+(?:the\s+)?|everything\s+)?(?:above|below|rest\s+of\s+(?:this|the)|previous\s+(?:text|context|content|conversation)|info(?:rmation)?\s+except|everything\s+(?:else|before|above))`,
  ),
  rule(
    'ignore-instructions-ru',
    String.raw`${B}(?:проигнорир\p{L}*|игнорир\p{L}*|забуд\p{L}*|забыва\p{L}*|отбрось\p{L}*|отмени\p{L}*|не\s+(?:обращай\p{L}*\s+внимани\p{L}*\s+на|следуй\p{L}*|слушай\p{L}*|выполняй\p{L}*))${E}[\s,]+(?:[\p{L}-]+[\s,]+){0,4}?${RU_INSTRUCTION_NOUNS}${E}`,
  ),
  rule(
    'ignore-above-ru',
    String.raw`${B}(?:проигнорир\p{L}*|игнорир\p{L}*|забуд\p{L}*)${E}\s+(?:вс[её],?\s+)?(?:вышесказанн\p{L}*|вышеизложенн\p{L}*|написанн\p{L}*\s+выше|что\s+(?:было\s+)?(?:написано|сказано)\s+выше|предыдущ\p{L}*\s+(?:текст|контекст))`,
  ),
  // «Все прежние инструкции отменяются», «новые правила для бота», «ограничения сняты».
  rule(
    'instructions-void-ru',
    String.raw`${B}(?:(?:вс\p{L}*\s+)?(?:предыдущ|прежн|прошл|стар|исходн)\p{L}*\s+${RU_INSTRUCTION_NOUNS}\s+(?:отменя\p{L}*|отменен\p{L}*|недействительн\p{L}*|аннулир\p{L}*|больше\s+не\s+действу\p{L}*)|нов\p{L}*\s+${RU_INSTRUCTION_NOUNS}\s+для\s+(?:бота|модели|ии|ассистента|нейросети|чат-?бота)|(?:вс\p{L}*\s+|любые\s+)?ограничени\p{L}*\s+(?:сняты|отключены|отменены|сняли)|сбрось\p{L}*\s+(?:вс\p{L}*\s+)?(?:сво\p{L}*\s+)?(?:ограничени|фильтр|настройк|инструкци)\p{L}*|(?:отвечай|работай|пиши)\s+без\s+(?:фильтров|ограничений|цензуры|правил))${E}`,
  ),
  // System prompt extraction.
  rule(
    'system-prompt',
    String.raw`${B}(?:system\s+prompt|(?:your|the)\s+(?:initial|original|starting|hidden|secret|first|underlying|system)\s+(?:instructions?|prompt|configuration|message)|(?:instructions?|prompt)\s+you\s+(?:were|have\s+been|are)\s+given|what\s+(?:were|are)\s+you\s+(?:told|instructed)|initiali[sz]ation\s+string)${E}`,
  ),
  rule(
    'system-prompt-ru',
    String.raw`${B}(?:системн\p{L}*\s+(?:промпт\p{L}*|подсказк\p{L}*|инструкци\p{L}*)|(?:сво\p{L}*|тво\p{L}*|ваш\p{L}*|исходн\p{L}*|скрыт\p{L}*|начальн\p{L}*|перв\p{L}*)\s+(?:инструкци\p{L}*|промпт\p{L}*)|что\s+(?:тебе|вам)\s+(?:сказали|велели|приказали|поручили)\s+(?:в\s+начале|до\s+(?:этого|начала)))${E}`,
  ),
  rule(
    'repeat-above',
    String.raw`${B}(?:repeat|output|print|reproduce|copy|echo)${E}\s+(?:(?:the|this|all|everything|entire|whole)\s+){0,3}(?:text|words|conversation|content|instructions)?\s*(?:above|before\s+this|back\s+to\s+me|word\s+for\s+word|verbatim)`,
  ),
  rule(
    'repeat-instructions-ru',
    String.raw`${B}(?:(?:повтори|выведи|покажи|перечисли|процитируй|скопируй)\s+(?:сюда\s+|мне\s+)?(?:вс\p{L}*\s+)?(?:(?:сво\p{L}*|тво\p{L}*)\s+(?:перв\p{L}*\s+|исходн\p{L}*\s+|начальн\p{L}*\s+)?(?:инструкци|правил|настройк|установк)\p{L}*|(?:инструкци|правил|настройк)\p{L}*,?\s+(?:котор\p{L}*\s+тебе|по\s+котор\p{L}*\s+ты))|(?:выведи|скопируй|процитируй)\s+(?:\p{L}+[\s,]+){0,4}?(?:выше|дословно|слово\s+в\s+слово)|(?:что|какие)\s+(?:написано\s+|указано\s+)?(?:в\s+)?тво\p{L}*\s+(?:настройк|инструкци|правил)\p{L}*|начни\s+(?:сво\p{L}*\s+)?ответ\p{L}*\s+(?:со?\s+слов|с\s+фраз\p{L}*)|сыграй\p{L}*\s+роль|давай\s+сыграем|ролев\p{L}*\s+игр\p{L}*|(?:ты|вы)\s+(?:—\s*)?(?:бот|ии|модель|ассистент|нейросеть)\s+без\s+(?:правил|ограничений|фильтров))${E}`,
  ),
  // Chat-format markers that only mean something to a model.
  rule(
    'role-marker',
    String.raw`(?:(?:^|\n|<[a-z][^<>]*>)[ \t>*#-]*(?:system|assistant|ai|bot|ассистент|система)\s*:|<\|?\s*(?:system|endoftext|im_start|im_end|assistant|user)\s*\|?>|\[\/?(?:system|inst|admin(?:\s+request)?|instruction)\s*(?:\]|::)|<\/?(?:system|instruction|instructions|sys)>|<end\s+of\s+session>|--\s*(?:core|legal)\s+(?:instruction|amendment)|#{2,}\s*(?:instruction|system)${E})`,
  ),
  // Role play and "modes" meant to lift the rules.
  rule(
    'role-play',
    String.raw`${B}(?:you\s+are\s+now\s+(?:in\s+[\p{L}-]+\s+mode|an?\s+[\p{L}-]+|the\s+[\p{L}-]+|my\s+[\p{L}-]+|called|named|free\s+(?:of|from)|unrestricted|no\s+longer)|from\s+now\s+on,?\s+you|pretend\s+(?:to\s+be|(?:that\s+)?you(?:'re|\s+are))|role-?play\s+as|act\s+as\s+(?:if\s+you|an?\s+(?:unrestricted|unfiltered|evil|different|new))|(?:developer|maintenance|god|jailbreak(?:en)?|debug|admin|unrestricted|dan)\s+mode|jailbreak)${E}`,
  ),
  rule(
    'role-play-ru',
    String.raw`${B}(?:(?:ты\s+теперь|теперь\s+ты)\s+(?:—\s*)?(?:не\s+)?(?:[\p{L}-]*(?:ый|ой|ий|ая|ик|ор|ер|ист|бот)|dan|ии)|отныне\s+ты|с\s+этого\s+момента\s+ты|представ(?:ь|ьте)?,?\s+(?:себе,?\s+)?что\s+ты|притворись|притворитесь|веди\s+себя\s+как|режим\p{L}*\s+(?:бога|без\s+ограничений)|(?:включи|активируй|перейди\s+в|войди\s+в)\s+режим\p{L}*\s+(?:разработчика|отладки|администратора)|режим\p{L}*\s+(?:разработчика|отладки|администратора)\s+(?:включ[её]н|активирован)|джейлбрейк)${E}`,
  ),
  // Addressed to the model, or hidden from the human reader.
  rule(
    'addressed-to-model',
    String.raw`${B}(?:(?:note|message|instructions?|memo)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|llm|assistant|language\s+model|chat\s?bot|bot|automated\s+[\p{L}-]+)|(?:as|you\s+are)\s+an?\s+(?:ai|large\s+language\s+model|language\s+model|llm)|if\s+(?:the\s+user|you\s+are)\s+(?:asks?|asked|questioned)|if\s+(?:asked|questioned)\s+(?:about|how|what|whether)|invisible\s+to\s+humans|white[- ]text|hidden\s+(?:text|instructions?|prompt)|(?:administrator|admin|developer|system)\s+override|override\s+(?:manual|all|previous|your)|automated\s+(?:analysis|screening)\s+(?:software|systems?))${E}`,
  ),
  rule(
    'addressed-to-model-ru',
    String.raw`${B}(?:(?:нейросеть|модель|ассистент|чат-?бот|gpt|чатгпт|ии)\s*[,:!]\s*(?:[\p{L}-]+\s+){0,2}?(?:игнорир|забудь|ответь|напиши|выведи|скажи|сделай|перестань|прекрати)|(?:инструкци\p{L}*|указани\p{L}*|примечани\p{L}*|сообщени\p{L}*)\s+для\s+(?:ии|нейросети|модели|ассистента|бота|чат-?бота)|если\s+(?:тебя|пользователь)\s+спрос\p{L}*|ты\s+(?:—\s*)?(?:ии|языковая\s+модель|нейросеть|чат-?бот)|скрыт\p{L}*\s+(?:текст|инструкци\p{L}*|команд\p{L}*)|невидим\p{L}*\s+для\s+(?:человека|людей|оператора))${E}`,
  ),
  // Telling the model what to put in its reply (BIPIA's "task-irrelevant" attacks).
  rule(
    'reply-directive',
    String.raw`${B}${EN_REPLY_VERBS}${E}${IN_SENTENCE}{0,100}?${B}(?:in|to|into|with|within|of|using|for)?\s*your\s+${EN_REPLY}${E}|${B}(?:in|to|into|with|within)\s+your\s+(?:answer|response|reply|output)[\s,]+(?:${EN_REPLY_VERBS}|please|also|make|be\s+sure|you\s+(?:must|should))${E}`,
  ),
  rule(
    'reply-directive-ru',
    String.raw`${B}(?:добав\p{L}*|включи\p{L}*|встав\p{L}*|встро\p{L}*|переведи\p{L}*|закодируй\p{L}*|зашифруй\p{L}*|напиши\p{L}*|начни\p{L}*|закончи\p{L}*|заверши\p{L}*|упомян\p{L}*|замени\p{L}*|измени\p{L}*)${E}[^.!?\n]{0,80}?${B}(?:в|к)\s+(?:сво\p{L}*|тво\p{L}*)\s+ответ\p{L}*${E}|${B}(?:ответь|отвечай)\s+(?:только|лишь|исключительно)${E}|${B}(?:добавь|вставь|поставь|включи|встрои|встрой)\s+в\s+(?:сво\p{L}*\s+|тво\p{L}*\s+)?ответ\p{L}*${E}|${B}(?:измени|дополни|перепиши|заверши|закончи)\s+(?:сво\p{L}*|тво\p{L}*)\s+ответ\p{L}*${E}|${B}в\s+(?:конце|начале)\s+(?:сво\p{L}*\s+)?ответа\s+(?:поставь|добавь|вставь|напиши|укажи)${E}|${B}в\s+(?:сво\p{L}*\s+)?ответе\s+(?:добавь|вставь|поставь|упомяни|укажи|напиши)${E}|${B}в\s+ответе\s+(?:оператора|ассистента|бота)\s+(?:обязательно\s+)?(?:должн\p{L}*\s+быть|долж\p{L}*\s+содержать)${E}`,
  ),
  // Payload delivery: "print X", "respond with only …", "focus only on the following".
  rule(
    'payload-command',
    String.raw`${B}(?:(?:print|output)\s+(?:only\s+|exactly\s+|just\s+)?["'“«<]|(?:reply|respond|answer)\s+(?:with\s+)?(?:only|exactly|just)\s+(?:with\s+)?(?:the\s+following|["'“«<]|this|one\s+word)|focus\s+(?:only|exclusively|solely)\s+on\s+the\s+(?:following|information|text)|(?:encode|encrypt|translate|convert)\s+(?:it|this|that|your\s+[\p{L}]+)?\s*(?:in|into|to|using)\s+(?:base\s?64|base\s?32|rot-?13|hex|binary|morse|caesar)|(?:base\s?64|base\s?32|rot-?13|caesar)\s+(?:cipher|encod\p{L}*)|выведи\p{L}*\s+(?:только\s+)?["'“«<])`,
  ),
];

/** Every prompt-injection signal in the text, in text order. */
export function detectInjection(text: string): SafetyFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  return matchRules(text, RULES);
}

/** The rule ids, for the eval report's breakdown. */
export const INJECTION_RULE_IDS: readonly string[] = RULES.map((entry) => entry.id);
