import { createHmac } from 'node:crypto';

/**
 * A keyed pseudonym (HMAC-SHA256, hex) of a user id: names the subject of an
 * anonymisation in its own audit event without writing the id back into the table.
 */
export function subjectDigest(hmacKey: Buffer, userId: string): string {
  return createHmac('sha256', hmacKey).update('subject\0').update(userId).digest('hex');
}
