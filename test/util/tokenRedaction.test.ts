import { describe, expect, it } from 'vitest';
import { redactDiscordPath } from '../../src/util/tokenRedaction.js';

describe('tokenRedaction', () => {
  describe('redactDiscordPath', () => {
    it.each([
      ['/api/v10/interactions/1234/aW50LXRva2Vu/callback', '/api/v10/interactions/1234/:token/callback'],
      [
        'https://discord.com/api/v10/webhooks/5678/d2ViaG9vay10b2tlbg/messages/@original?wait=true',
        'https://discord.com/api/v10/webhooks/5678/:token/messages/@original?wait=true',
      ],
      ['/webhooks/5678/d2ViaG9vay10b2tlbg', '/webhooks/5678/:token'],
      ['/webhooks/5678/d2ViaG9vay10b2tlbg#part', '/webhooks/5678/:token#part'],
      // Bot-authenticated routes hold no token and stay as they are.
      ['/api/v10/webhooks/5678', '/api/v10/webhooks/5678'],
      ['/api/v10/channels/1/messages', '/api/v10/channels/1/messages'],
      ['/interactions/:id/:token/callback', '/interactions/:id/:token/callback'],
      [
        'POST /interactions/1/abc/callback then PATCH /webhooks/2/def/messages/@original',
        'POST /interactions/1/:token/callback then PATCH /webhooks/2/:token/messages/@original',
      ],
    ])('%s → %s', (text, redacted) => {
      expect(redactDiscordPath(text)).toBe(redacted);
    });
  });
});
