import type { Dependencies } from '#config/dependencies';
import { notFound } from '#domain/errors';
import type { CredentialRecord, CredentialState } from '#domain/records';

export interface IssuedCredential {
  id: string;
  state: CredentialState;
  credential?: Record<string, unknown>;
}

export const answerOf = (record: CredentialRecord): IssuedCredential => ({
  id: record.id,
  state: record.state,
  ...(record.credential ? { credential: record.credential } : {}),
});

export const requireRecord = async (deps: Dependencies, id: string): Promise<CredentialRecord> => {
  const record = await deps.store.credentials.get(id);
  if (!record) throw notFound('The credential');
  return record;
};
