// A child process that posts signed Events API requests to a Slack app's request URL, as Slack
// does, `concurrency` at a time: the load generator for the Slack ingest benchmark.
import { SlackRequestClient } from '../../tests/support/fake-slack/client.js';
import { reportFailures, type ChildMessage } from './child.js';
import { slackMessages, slackUserIds } from './slack-workload.js';

reportFailures();

process.on('message', (message: ChildMessage) => {
  if (message.type === 'stop') {
    process.disconnect();
    return;
  }
  if (message.type !== 'send') return;
  void (async () => {
    const client = new SlackRequestClient(String(message.url), String(message.secret));
    const envelopes = slackMessages(Number(message.events), slackUserIds(Number(message.users)), { startMs: Date.now() });
    const statuses: Record<string, number> = {};
    let sent = 0;
    const began = performance.now();
    const lane = async () => {
      for (let next = envelopes.next(); !next.done; next = envelopes.next()) {
        sent++;
        const response = await client.sendEvent(next.value).catch((error: unknown) => ({ status: String(error) }));
        if ('arrayBuffer' in response) await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: Number(message.concurrency) }, lane));
    process.send!({ type: 'sent', sent, statuses, seconds: (performance.now() - began) / 1000 });
  })();
});
