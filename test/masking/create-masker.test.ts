import type { AnyValue } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createMasker } from '../../src/masking/create-masker.ts';
import { toAnyValue } from '../../src/internal/to-any-value.ts';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const CARD = '4111 1111 1111 1111';

describe('createMasker', () => {
  const masker = createMasker();

  describe('isSensitiveKey', () => {
    it('should match the built-in keys in any naming style', () => {
      for (const key of ['password', 'userPassword', 'passwd', 'client_secret', 'accessToken', 'x-api-key', 'API_KEY', 'apiKey', 'Authorization', 'Set-Cookie', 'card_number', 'cardNumber', 'cvv', 'ssn', 'private_key', 'refresh_tokens']) {
        expect(masker.isSensitiveKey(key), key).toBe(true);
      }
    });

    it('should not match words that merely contain the letters of a key', () => {
      for (const key of ['className', 'business_number', 'description', 'session.id', 'user_agent.original', 'tokenizer_version']) {
        expect(masker.isSensitiveKey(key), key).toBe(false);
      }
    });

    it('should take extra keys from ACTIVITY_MASK_KEYS and the config file', () => {
      const custom = createMasker({ keys: ['iban', /^x-internal-/i] });
      expect(custom.isSensitiveKey('customerIban')).toBe(true);
      expect(custom.isSensitiveKey('X-Internal-Signature')).toBe(true);
      expect(custom.isSensitiveKey('name')).toBe(false);
    });
  });

  describe('maskAny', () => {
    it('should mask values under sensitive keys at any depth, keeping the rest', () => {
      const masked = masker.maskAny({ user: 'bob', password: 'mypassword123', profile: { settings: { apiKey: 'sk-1234567890' } }, list: [{ cvv: 123 }] });
      expect(masked).toEqual({ user: 'bob', password: 'my*******23', profile: { settings: { apiKey: 'sk*******90' } }, list: [{ cvv: '****' }] });
    });

    it('should mask everything under a sensitive key, including nested maps', () => {
      expect(masker.maskAny({ credentials: 'x', secret: { old: 'mypassword123', new: 'abcd' } })).toEqual({ credentials: 'x', secret: { old: 'my*******23', new: '****' } });
    });

    it('should return the same object when nothing needed masking', () => {
      const clean = { a: 1, b: ['x', { c: 'y' }] };
      expect(masker.maskAny(clean)).toBe(clean);
    });

    it('should keep a __proto__ key (as JSON.parse gives it) as data, masked like any other', () => {
      const parsed = JSON.parse('{"__proto__": {"password": "hunter2hunter2"}, "token": "abcdef123456"}') as AnyValue;
      const masked = masker.maskAny(parsed) as Record<string, AnyValue>;
      expect(JSON.stringify(masked)).toBe('{"__proto__":{"password":"hu*******r2"},"token":"ab*******56"}');
      expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
      expect(JSON.stringify(masker.maskAny(parsed, 'secret'))).toBe('{"__proto__":{"password":"hu*******r2"},"token":"ab*******56"}');
    });

    it('should mask secrets inside any string value', () => {
      expect(masker.maskAny({ note: `token ${JWT}` })).toEqual({ note: 'token ey*******8U' });
    });
  });

  describe('maskText', () => {
    it('should mask sensitive parameters of a query string', () => {
      expect(masker.maskText('user=bob&password=hunter2hunter2&next=/home')).toBe('user=bob&password=hu*******r2&next=/home');
    });

    it('should mask JWTs and bearer credentials wherever they appear', () => {
      expect(masker.maskText(`Authorization: Bearer ${JWT}`)).not.toContain(JWT.slice(10, 40));
      expect(masker.maskText(`id_tkn=${JWT}`)).toBe('id_tkn=ey*******8U');
      expect(masker.maskText('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic dX*******==');
    });

    it('should mask Luhn-valid card numbers but not other long numbers', () => {
      expect(masker.maskText(`paid with ${CARD}`)).toBe('paid with 41*******11');
      expect(masker.maskText('paid with 4111111111111111.')).toBe('paid with 41*******11.');
      expect(masker.maskText('order 4111111111111112 at 1700000000000')).toBe('order 4111111111111112 at 1700000000000');
    });

    it('should mask a value that is nothing but a card number, as a form field holds it', () => {
      expect(masker.maskText('4111111111111111')).toBe('41*******11');
      expect(masker.maskText(CARD)).toBe('41*******11');
      expect(masker.maskText('5500-0000-0000-0004')).toBe('55*******04');
      expect(masker.maskText('4111111111111112')).toBe('4111111111111112'); // fails Luhn
      expect(masker.maskText('1111111111111117')).toBe('1111111111111117'); // no card network starts with 1
      expect(masker.maskText('4111111111111111 ')).toBe('41*******11 ');
      const custom = createMasker({ patterns: [/\b4111\b/g] });
      expect(custom.maskText('4111111111111112')).toBe('4111111111111112');
      expect(custom.maskText('4111 1111 1111 1112')).toBe('**** 1111 1111 1112');
    });

    it('should mask credentials after an auth scheme, in the cases headers use', () => {
      for (const scheme of ['Bearer', 'bearer', 'Token', 'token', 'Digest', 'Basic']) {
        expect(masker.maskText(`${scheme} abcdef123456`), scheme).toBe(`${scheme} ab*******56`);
      }
      expect(masker.maskText('auth=x Bearer abcdef123456')).toBe('auth=x Bearer ab*******56');
      expect(masker.maskText('Bearer\tabcdef123456')).toBe('Bearer\tab*******56');
      expect(masker.maskText('a Bearer')).toBe('a Bearer');
    });

    it('should mask key-value pairs in JSON bodies and error messages', () => {
      expect(masker.maskText('{"email":"a@b.c","password":"my secret pass"}')).toBe('{"email":"a@b.c","password":"my*******ss"}');
      expect(masker.maskText("login failed: password='hunter2hunter2' for bob")).toBe("login failed: password='hu*******r2' for bob");
      expect(masker.maskText('redirect next=/cb?access_token=abcdefghijklmnop&x=1')).toBe('redirect next=/cb?access_token=ab*******op&x=1');
    });

    it('should find sensitive pairs written in any of the usual ways', () => {
      const secret = 'hunter2hunter2';
      for (const text of [`Password=${secret}`, `password : ${secret}`, `{"token" : "${secret}"}`, `{'api_key': '${secret}'}`, `x-api-key:${secret}`, `note="ok", secret=${secret};`, `AUTHORIZATION = ${secret}`]) {
        expect(masker.maskText(text), text).not.toContain(secret);
      }
      for (const text of ['Order placed: ord-1', 'http://example.test/a?b=c', 'ratio=0.5, mode: fast']) expect(masker.maskText(text)).toBe(text);
    });

    it('should mask the password of a URL', () => {
      expect(masker.maskText('connect postgres://app:s3cret@db:5432/prod')).toBe('connect postgres://app:****@db:5432/prod');
    });

    it('should apply extra patterns from the config file', () => {
      const custom = createMasker({ patterns: [/\bDE\d{20}\b/g] });
      expect(custom.maskText('iban DE89370400440532013000 ok')).toBe('iban DE*******00 ok');
    });

    it('should leave ordinary text alone', () => {
      const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0';
      expect(masker.maskText(ua)).toBe(ua);
    });
  });

  describe('with cyclic and very deep data', () => {
    it('should mask data made safe by toAnyValue without looping', () => {
      const data: Record<string, unknown> = { password: 'mypassword123' };
      data.self = data;
      let deep: Record<string, unknown> = { token: 'sk-1234567890' };
      for (let i = 0; i < 1000; i++) deep = { next: deep };
      data.deep = deep;
      const masked = masker.maskAny(toAnyValue(data)) as Record<string, unknown>;
      expect(masked.password).toBe('my*******23');
      expect(masked.self).toBe('[Circular]');
      expect(JSON.stringify(masked)).toContain('[Truncated: too deep]');
    });
  });
});
