import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '#ports/clock';
import type { Mailer } from '#ports/mailer';

export interface OutboxEntry {
  to: string;
  subject: string;
  sentAt: string;
  file: string;
}

/** RFC 2047 encoded-word, so non-ASCII subjects survive in the .eml. */
const encodeHeader = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value).toString('base64')}?=`);

/** The local stand-in for SES: each e-mail becomes an .eml file (multipart text + HTML) in the outbox folder. */
export const outboxMailer = (directory: string, clock: Clock): Mailer & { list(): OutboxEntry[] } => {
  mkdirSync(directory, { recursive: true });
  return {
    async send(mail) {
      const sentAt = clock.now().toISOString();
      const boundary = `merit-${randomUUID()}`;
      const file = join(directory, `${sentAt.replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      const eml = [
        `To: ${mail.to}`,
        `Subject: ${encodeHeader(mail.subject)}`,
        `Date: ${new Date(sentAt).toUTCString()}`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/alternative; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        mail.text,
        `--${boundary}`,
        'Content-Type: text/html; charset=utf-8',
        '',
        mail.html,
        `--${boundary}--`,
        '',
      ].join('\r\n');
      writeFileSync(file, eml);
      writeFileSync(`${file}.json`, JSON.stringify({ to: mail.to, subject: mail.subject, sentAt, file }));
    },
    list() {
      return readdirSync(directory)
        .filter((name) => name.endsWith('.eml.json'))
        .sort()
        .map((name) => JSON.parse(readFileSync(join(directory, name), 'utf8')) as OutboxEntry);
    },
  };
};
