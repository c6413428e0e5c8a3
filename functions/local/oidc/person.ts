/** Someone the local provider can sign in: a demo person or anyone `POST /local/token` recorded. */
export interface LocalPerson {
  subject: string;
  label: string;
}
