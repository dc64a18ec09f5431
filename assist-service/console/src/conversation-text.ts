/** A pasted text as the conversation the assist API reads. */
export interface PastedMessage {
  role: 'customer' | 'operator';
  text: string;
}

const SPEAKER = /^\s*(клиент|покупатель|customer|client|оператор|агент|operator|agent)\s*:\s*/iu;

/**
 * "Клиент: …" / "Оператор: …" lines (also Customer/Operator, Client/Agent) start turns; a line
 * without a speaker continues the turn before it. Text without any speaker is one customer message.
 */
export function parseConversationText(pasted: string): PastedMessage[] {
  const messages: PastedMessage[] = [];
  let current: PastedMessage | undefined;
  for (const line of pasted.split(/\r?\n/u)) {
    const speaker = SPEAKER.exec(line);
    if (speaker) {
      const name = speaker[1]!.toLowerCase();
      const role = ['оператор', 'агент', 'operator', 'agent'].includes(name) ? 'operator' : 'customer';
      current = { role, text: line.slice(speaker[0].length) };
      messages.push(current);
    } else if (current) {
      current.text += `\n${line}`;
    } else if (line.trim() !== '') {
      current = { role: 'customer', text: line };
      messages.push(current);
    }
  }
  return messages
    .map((message) => ({ ...message, text: message.text.trim() }))
    .filter((message) => message.text !== '');
}
