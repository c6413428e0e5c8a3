export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail: SES in AWS, an outbox folder of .eml files locally. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
