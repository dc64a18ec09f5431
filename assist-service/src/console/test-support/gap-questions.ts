import { seededRandom } from '@naparnik/ingest';

/**
 * Generated customer questions for the knowledge-gap tests and bench: topics the demo knowledge
 * base does not cover, each asked in several phrasings with openers, politeness and specifics
 * (order numbers, cities) varied, and a reply operators send for it in a few wordings. The topic
 * of each question is known, so a clustering can be checked against it.
 */
export interface GapTopic {
  id: string;
  phrasings: string[];
  replies: string[];
}

export const GAP_TOPICS: GapTopic[] = [
  {
    id: 'gift-wrap',
    phrasings: [
      'Можно ли упаковать заказ в подарочную коробку?',
      'Есть ли подарочная упаковка для заказа?',
      'подарочная коробка к заказу бывает?',
      'Упакуете украшение в подарочную коробку?',
    ],
    replies: [
      'Да, подарочную коробку можно добавить в корзине за 250 ₽, открытку положим бесплатно.',
      'Подарочная коробка стоит 250 ₽, добавьте её в корзине; открытка бесплатно.',
      'Добавьте подарочную коробку в корзине — 250 ₽, открытку вложим бесплатно.',
    ],
  },
  {
    id: 'night-pickup',
    phrasings: [
      'Работает ли пункт выдачи ночью?',
      'Можно забрать посылку из пункта выдачи ночью?',
      'ночью пункт выдачи открыт?',
    ],
    replies: [
      'Ночью пункты выдачи закрыты, часы работы указаны в SMS с кодом получения.',
      'Пункты выдачи ночью не работают — часы работы есть в SMS с кодом получения.',
    ],
  },
  {
    id: 'crypto',
    phrasings: [
      'Принимаете оплату криптовалютой?',
      'Можно оплатить биткоином?',
      'оплата криптовалютой биткоин возможна?',
    ],
    replies: [
      'Оплату криптовалютой мы не принимаем: доступны карта, СБП и рассрочка.',
      'Криптовалюту и биткоин к оплате не принимаем, оплатите картой или через СБП.',
    ],
  },
  {
    id: 'pet-engraving',
    phrasings: [
      'Можно выгравировать портрет собаки на кулоне?',
      'Делаете гравировку портрета питомца на кулоне?',
      'гравировка фото кошки на кулон возможна?',
    ],
    replies: [
      'Портреты питомцев гравируем по фото на кулонах от 15 мм, срок 5 рабочих дней.',
      'Гравируем портрет питомца по фотографии на кулонах от 15 мм, это 5 рабочих дней.',
    ],
  },
  {
    id: 'watch-battery',
    phrasings: [
      'Меняете батарейку в часах?',
      'Где заменить батарейку в часах?',
      'замена батарейки часов у вас есть?',
    ],
    replies: [
      'Батарейку в часах меняем в магазинах с мастерской, замена стоит 500 ₽.',
      'Заменить батарейку в часах можно в магазинах с мастерской за 500 ₽.',
    ],
  },
];

const OPENERS = ['', 'Здравствуйте! ', 'Добрый день. ', 'Привет, ', 'Подскажите, '];
const CLOSERS = ['', ' Спасибо.', ' Заказ {order}.', ' Я из города {city}.', ' Очень нужно!'];
const CITIES = ['Казань', 'Тверь', 'Омск', 'Самара'];

export interface GeneratedGap {
  topic: string;
  question: string;
  reply: string;
  at: string;
}

/** `count` questions over the topics (weighted: the first topic most often), seeded, oldest first. */
export function generateGapQuestions(
  count: number,
  options: { seed?: number; from?: number; spanMs?: number } = {},
): GeneratedGap[] {
  const random = seededRandom(options.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const from = options.from ?? Date.parse('2026-11-01T00:00:00Z');
  const span = options.spanMs ?? 28 * 86_400_000;
  const weights = GAP_TOPICS.map((_topic, index) => GAP_TOPICS.length - index);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const result: GeneratedGap[] = [];
  for (let number = 0; number < count; number++) {
    let roll = random() * totalWeight;
    let topicIndex = 0;
    while (roll >= weights[topicIndex]!) roll -= weights[topicIndex++]!;
    const topic = GAP_TOPICS[topicIndex]!;
    const closer = pick(CLOSERS)
      .replace('{order}', String(10_000_000 + Math.floor(random() * 89_999_999)))
      .replace('{city}', pick(CITIES));
    result.push({
      topic: topic.id,
      question: `${pick(OPENERS)}${pick(topic.phrasings)}${closer}`,
      reply: pick(topic.replies),
      at: new Date(from + Math.floor((span * number) / count)).toISOString(),
    });
  }
  return result;
}
