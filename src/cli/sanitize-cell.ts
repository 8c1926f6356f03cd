// C0 and C1 control characters and DEL: never echoed raw.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A value made safe to print on a terminal on one line: control characters (newlines,
 * and the ESC of terminal escape sequences an attacker could plant in an audit field) are
 * shown as `\n`, `\t` or `\xNN` instead of being interpreted.
 */
export function sanitizeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
