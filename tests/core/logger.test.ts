import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/core/logger.js';
import { KeyedSerialQueue } from '../../src/core/keyed-queue.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logging', () => {
  it('writes JSON lines with secrets redacted wherever they sit', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, level: 'info' });
    logger.info({ token: 'discord-token-123', slack: { signingSecret: 'shh-456' }, request: { headers: { authorization: 'Bearer xoxb-789' } } }, 'connected');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ msg: 'connected', token: '[redacted]', slack: { signingSecret: '[redacted]' }, request: { headers: { authorization: '[redacted]' } } });
    expect(out.text()).not.toMatch(/discord-token-123|shh-456|xoxb-789/);
  });

  it("masks the interaction token in a platform error's URL and drops its request body", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, level: 'info' });
    const error = Object.assign(new Error('Unknown Webhook while calling /webhooks/123/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original'), {
      url: 'http://127.0.0.1:9/api/v10/webhooks/123/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original',
      requestBody: { files: [{ name: 'data.json', data: 'member export' }], json: { content: 'hi' } },
      cause: new Error('POST /interactions/456/c2Vjb25kLXRva2Vu/callback failed'),
    });
    logger.error({ err: error }, 'platform action failed');
    const line = JSON.parse(out.text().trim());
    expect(out.text()).not.toMatch(/aW50ZXJhY3Rpb24tdG9rZW4|c2Vjb25kLXRva2Vu|member export/);
    expect(line.err.url).toBe('http://127.0.0.1:9/api/v10/webhooks/123/***/messages/@original');
    expect(line.err.requestBody).toBeUndefined();
    expect(line.err.message).toContain('Unknown Webhook');
  });

  it('writes readable lines for the shell, still redacted', () => {
    const out = capture();
    const logger = createLogger({ pretty: true, destination: out.stream, level: 'info' });
    logger.warn({ password: 'p4ss' }, 'database slow');
    expect(out.text()).toMatch(/WARN.*database slow/);
    expect(out.text()).not.toContain('p4ss');
  });

  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgresql://guyub:hunter2@db.example:5432/guyub')).toBe('postgresql://guyub:***@db.example:5432/guyub');
    expect(redactUrl('redis://localhost:6379')).toBe('redis://localhost:6379');
  });
});

describe('keyed serial queue', () => {
  it('runs tasks of one key in order and tasks of different keys side by side', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const task = (key: string, n: number, ms: number) =>
      queue.run(key, async () => {
        log.push(`start ${key}${n}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`end ${key}${n}`);
      });
    await Promise.all([task('a', 1, 20), task('a', 2, 1), task('b', 1, 5)]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('goes on with the next task after one fails', async () => {
    const queue = new KeyedSerialQueue();
    const failed = queue.run('a', async () => {
      throw new Error('no');
    });
    const next = queue.run('a', async () => 'yes');
    await expect(failed).rejects.toThrow('no');
    await expect(next).resolves.toBe('yes');
    await queue.idle();
  });
});
