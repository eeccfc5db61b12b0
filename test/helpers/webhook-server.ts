import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookServer {
  /** The URL to post to (path `/services/T1/B1/secret`, shaped like a Slack incoming webhook). */
  url: string;
  /** The bodies received, in order. */
  received: string[];
  close(): Promise<void>;
}

/** A local HTTP server that records each request body and answers 200, as a Slack incoming webhook does. */
export async function startWebhookServer(): Promise<WebhookServer> {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T1/B1/secret`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
