export type ShortcutAction = { type: 'insert'; index: number } | { type: 'refresh' } | { type: 'summary' };

/**
 * Alt+1…3 insert a suggestion, Alt+R refreshes, Alt+S opens the summary. Physical keys (`code`),
 * so they work the same on the Russian layout.
 */
export function shortcutFor(
  event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>,
): ShortcutAction | undefined {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  const digit = /^(?:Digit|Numpad)([1-3])$/.exec(event.code);
  if (digit) return { type: 'insert', index: Number(digit[1]) - 1 };
  if (event.code === 'KeyR') return { type: 'refresh' };
  if (event.code === 'KeyS') return { type: 'summary' };
  return undefined;
}
