/** Cuts `text` to at most `maxLength` characters, the marker `…[N more characters]` included. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let marker = `…[${text.length - maxLength} more characters]`;
  const keep = Math.max(0, maxLength - marker.length);
  marker = `…[${text.length - keep} more characters]`;
  return (text.slice(0, keep) + marker).slice(0, maxLength);
}
