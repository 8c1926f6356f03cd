/**
 * True when the digits of `card` pass the Luhn checksum of card numbers. Spaces and
 * dashes (the way card numbers are grouped) are skipped; any other non-digit fails.
 */
export function isLuhnValid(card: string): boolean {
  let sum = 0;
  let digits = 0;
  let double = false;
  for (let i = card.length - 1; i >= 0; i--) {
    const c = card.charCodeAt(i);
    if (c === 32 || c === 45) continue;
    let d = c - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    digits++;
    double = !double;
  }
  return digits > 0 && sum % 10 === 0;
}
