import { describe, expect, it } from 'vitest';
import { discordOptionsFromEnv } from '../../../src/adapters/discord/index.js';

describe('Discord connection from the environment', () => {
  it('is off without DISCORD_TOKEN', () => {
    expect(discordOptionsFromEnv({})).toBeUndefined();
    expect(discordOptionsFromEnv({ DISCORD_TOKEN: '  ' })).toBeUndefined();
  });

  it('reads the token, the application id and the REST base (without a trailing slash)', () => {
    expect(discordOptionsFromEnv({ DISCORD_TOKEN: 'abc', DISCORD_APPLICATION_ID: '123', DISCORD_API_URL: 'http://127.0.0.1:8080/api/' })).toEqual({
      token: 'abc',
      applicationId: '123',
      apiUrl: 'http://127.0.0.1:8080/api',
    });
    expect(discordOptionsFromEnv({ DISCORD_TOKEN: 'abc' })).toEqual({ token: 'abc' });
  });

  it('refuses a DISCORD_API_URL that is not an http(s) URL, naming it', () => {
    expect(() => discordOptionsFromEnv({ DISCORD_TOKEN: 'abc', DISCORD_API_URL: 'localhost:8080' })).toThrow(/DISCORD_API_URL/);
    expect(() => discordOptionsFromEnv({ DISCORD_TOKEN: 'abc', DISCORD_API_URL: 'not a url' })).toThrow('DISCORD_API_URL is not a URL: "not a url"');
  });
});
