/**
 * Common given names (and their everyday short forms) of customers who write in Russian, plus
 * common English ones. A capitalised word alone at the end of a message is taken for a sign-off
 * only when it is one of these: a city, a product or a brand is never in the list. Words that are
 * also ordinary nouns a message could end with («Роза», «Лилия», «Слава», «Мир») are left out.
 */
const RUSSIAN = `
  александр александра алексей алёна алина алиса алла анастасия анатолий андрей анжела анна антон
  арина арсений артём артур богдан вадим валентин валентина валерий валерия варвара василий василиса
  вера вероника виктор виктория виталий владимир владислав владислава всеволод вячеслав галина
  геннадий георгий герман глеб григорий даниил данил дарина дарья денис диана дмитрий евгений
  евгения егор екатерина елена елизавета жанна зарина захар злата зоя иван игорь илья инна ирина
  карина кирилл кира константин кристина ксения лариса лев леонид лидия любовь людмила максим
  маргарита марина мария марк матвей милана мирослава михаил надежда наталья наталия никита николай
  нина оксана олег олеся ольга павел полина раиса регина роман руслан рустам светлана семён сергей
  снежана софия софья станислав степан таисия тамара татьяна тимофей тимур ульяна фёдор эвелина
  эдуард элина эльвира юлиана юлия юрий яна ярослав ярослава
  аня анечка алёша вика вова володя галя гриша даша дима женя зина ира катя костя
  ксюша лена лёша лиза люба люда маша миша надя наташа оля паша петя рита саша света
  серёжа соня таня тёма толя юля
  айгуль айдар альберт альбина гульнара динара камила камилла лейла эльмира
`;

const ENGLISH = `
  alice amanda amy andrew anna anne barbara ben brian carol charles chris daniel david elizabeth
  emily emma george helen jack james jane jennifer jessica john joseph julia karen kate kevin laura
  linda lisa mark mary matthew michael olivia paul peter rachel richard robert sarah sophie steven
  susan thomas tom william
`;

/** ё is often typed as е: both sides are folded to е. */
const fold = (word: string) => word.toLowerCase().replaceAll('ё', 'е');

const NAMES: ReadonlySet<string> = new Set(`${RUSSIAN} ${ENGLISH}`.split(/\s+/u).filter(Boolean).map(fold));

/** True for a common given name, in any case, with ё or е. */
export function isGivenName(word: string): boolean {
  return NAMES.has(fold(word));
}
