import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, deflateRawSync, inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LRUCache } from 'lru-cache';
import type { CredentialRecord as Row } from '#domain/records';
import type { CredentialStore } from '#ports/store';
import {
  credentialKey,
  expiryIndexKey,
  expiryMonthPk,
  expirySortKey,
  learnerCredentialsIndexKey,
  learnerCredentialsPk,
  publicDocumentKey,
} from './keys';
import type { Table } from './table';

/** The `yyyy-mm` partitions of the expiry index that [from, to) touches. */
const monthsBetween = (fromIso: string, toIso: string): string[] => {
  const months: string[] = [];
  const cursor = new Date(`${fromIso.slice(0, 7)}-01T00:00:00Z`);
  while (cursor.toISOString().slice(0, 7) <= toIso.slice(0, 7)) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
};

/*
 * How a credential is stored, and why. DynamoDB bills a write per started KiB, and the learner index (gsi1, projection
 * ALL) copies the credential item: an item of 1–2 KiB costs 2 + 2 write units, one under 1 KiB costs 1 + 1. Most of
 * a signed Open Badge is its issuer profile and its achievement: public documents, the same for the thousands of
 * credentials of one achievement. So:
 *
 * - Those two are stored once per distinct pair, in a content-addressed document item (pk=DOC#<sha256 of its JSON>),
 *   and the credential JSON keeps a marker in their place, `{"@merit:doc": "issuer"}` / `"achievement"` (an
 *   `@`-keyword, which JSON-LD reserves: no credential content can look like one). Reading puts the very same JSON
 *   back (same keys, same order), so the eddsa-rdfc-2022 proof still verifies.
 * - The rest is deflated with a preset dictionary: the document's JSON (the DIDs, URLs and names the credential
 *   repeats) followed by the boilerplate every Merit credential repeats (contexts, types, schema, status, proof).
 *   Packed: [format 1][number of documents: 0 or 1][their sha256, 32 bytes][deflate-raw of the JSON].
 *
 * A document item's key is the hash of its content, so it never changes: it is written once (conditionally), and each
 * process remembers (bounded) what it wrote and what it read, so a drop of thousands of credentials writes it once
 * and a page of 50 credentials of one achievement reads it once. It is public (what a verifier sees of the issuer and
 * the achievement) and says nothing about a learner, so deleting a learner deletes their credential items and leaves
 * the shared documents.
 *
 * Items written before this (`credentialZ` / `unsignedZ`: the whole JSON, Brotli) are read as they are.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const markerKey = '@merit:doc';
const marker = (part: 'issuer' | 'achievement'): Json => ({ [markerKey]: part });
const isMarker = (value: unknown, part: 'issuer' | 'achievement'): boolean =>
  isObject(value) && value[markerKey] === part && Object.keys(value).length === 1;

/** The public documents of a credential (its issuer profile and achievement) as stored: JSON, and its sha256. */
interface PublicDocument {
  /** base64url */
  hash: string;
  json: string;
}

const brotli = (text: string): Uint8Array => brotliCompressSync(text, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } });
const unbrotli = (bytes: Uint8Array): string => brotliDecompressSync(bytes).toString('utf8');

/** The item of a public document (immutable: its key is the hash of its content). */
const documentItem = ({ hash, json }: PublicDocument) => ({ ...publicDocumentKey(hash), entity: 'document', documentZ: brotli(json) });

/** The credential with its issuer profile and achievement (those that are objects) taken out into a document. */
const split = (credential: Json): { json: Json; document?: PublicDocument } => {
  const { issuer, credentialSubject: subject } = credential;
  const achievement = isObject(subject) ? subject['achievement'] : undefined;
  if (!isObject(issuer) && !isObject(achievement)) return { json: credential };
  const text = JSON.stringify({ ...(isObject(issuer) ? { issuer } : {}), ...(isObject(achievement) ? { achievement } : {}) });
  return {
    json: {
      ...credential,
      ...(isObject(issuer) ? { issuer: marker('issuer') } : {}),
      ...(isObject(subject) && isObject(achievement) ? { credentialSubject: { ...subject, achievement: marker('achievement') } } : {}),
    },
    document: { hash: createHash('sha256').update(text).digest('base64url'), json: text },
  };
};

/** The credential as it was signed: each marker replaced by its part of (a fresh parse of) the document. */
const joined = (json: Json, document: string | undefined): Json => {
  const subject = json['credentialSubject'];
  const issuerMarked = isMarker(json['issuer'], 'issuer');
  const achievementMarked = isObject(subject) && isMarker(subject['achievement'], 'achievement');
  if (!issuerMarked && !achievementMarked) return json;
  if (document === undefined) throw new Error('A stored credential refers to a public document it does not name.');
  const parts = JSON.parse(document) as Json;
  return {
    ...json,
    ...(issuerMarked ? { issuer: parts['issuer'] } : {}),
    ...(isObject(subject) && achievementMarked ? { credentialSubject: { ...subject, achievement: parts['achievement'] } } : {}),
  };
};

const packingFormat = 1;

/**
 * What every Merit credential repeats, in the order buildCredential writes it: the end of each deflate dictionary.
 * NEVER edit it: every packed credential needs it byte for byte to be read. To improve it, add a packing format.
 */
const boilerplate = Buffer.from(
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",' +
    '"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],"id":"urn:uuid:","type":["VerifiableCredential",' +
    '"OpenBadgeCredential"],"name":"","issuer":{"@merit:doc":"issuer"},"validFrom":"T00:00:00Z","validUntil":"T00:00:00.000Z",' +
    '"credentialSubject":{"type":["AchievementSubject"],"identifier":[{"type":"IdentityObject","identityType":"identifier",' +
    '"hashed":true,"salt":"","identityHash":"sha256$"},{"type":"IdentityObject","identityType":"emailAddress","hashed":true,' +
    '"salt":"","identityHash":"sha256$"},{"type":"IdentityObject","identityType":"name","hashed":false,"identityHash":""}],' +
    '"achievement":{"@merit:doc":"achievement"},"creditsEarned":1,"narrative":"","result":[{"type":["Result"],"value":""}]},' +
    '"evidence":[{"type":["Evidence"],"id":"https://"}],"credentialSchema":[{"id":' +
    '"https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",' +
    '"type":"1EdTechJsonSchemaValidator2019"}],"credentialStatus":{"id":"https://credentials./status/#",' +
    '"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"",' +
    '"statusListCredential":"https://credentials./status/"},"proof":[{"type":"DataIntegrityProof","created":"T:00Z",' +
    '"verificationMethod":"did:web:credentials.:issuers:#z6Mk","cryptosuite":"eddsa-rdfc-2022",' +
    '"proofPurpose":"assertionMethod","proofValue":"z"}]}',
  'utf8',
);

const dictionaryFor = (document: string | undefined): Buffer =>
  document === undefined ? boilerplate : Buffer.concat([Buffer.from(document, 'utf8'), boilerplate]);

const packed = (json: Json, document: PublicDocument | undefined): Uint8Array =>
  Buffer.concat([
    Buffer.of(packingFormat, document ? 1 : 0),
    ...(document ? [Buffer.from(document.hash, 'base64url')] : []),
    deflateRawSync(JSON.stringify(json), { level: 9, dictionary: dictionaryFor(document?.json) }),
  ]);

/** The hash of the document a packed credential needs (its dictionary, and the parts it leaves out), if any. */
const documentNamedBy = (bytes: Uint8Array): string | undefined => {
  if (bytes[0] !== packingFormat || (bytes[1] !== 0 && bytes[1] !== 1))
    throw new Error(`A stored credential is packed in an unknown format (${bytes[0]}/${bytes[1]}).`);
  return bytes[1] === 1 ? Buffer.from(bytes.subarray(2, 34)).toString('base64url') : undefined;
};

const unpacked = (bytes: Uint8Array, document: string | undefined): Json => {
  const json = JSON.parse(
    inflateRawSync(bytes.subarray(2 + 32 * bytes[1]!), { dictionary: dictionaryFor(document) }).toString('utf8'),
  ) as Json;
  return joined(json, document);
};

/** The public documents of one table: written once, read once per process (both bounded). */
const publicDocuments = (table: Table) => {
  const written = new LRUCache<string, true>({ max: 1_000 });
  const known = new LRUCache<string, string>({ max: 500 });

  /** The documents at these hashes, in order; consistently: one may have been written a moment ago, by another process. */
  const fetch = async (hashes: string[]): Promise<Array<Uint8Array | undefined>> => {
    if (hashes.length === 1) {
      const { Item } = await table.client.send(
        new GetCommand({ TableName: table.name, Key: publicDocumentKey(hashes[0]!), ConsistentRead: true }),
      );
      return [Item?.['documentZ'] as Uint8Array | undefined];
    }
    return (await table.getMany<{ documentZ: Uint8Array }>(hashes.map(publicDocumentKey), { consistent: true })).map(
      (item) => item?.documentZ,
    );
  };
  /** Writes under way, so that concurrent first credentials of one achievement write its document once. */
  const writing = new Map<string, Promise<void>>();
  const write = (document: PublicDocument): Promise<void> => {
    let pending = writing.get(document.hash);
    if (!pending) {
      pending = (async () => {
        // Not written when already stored: the same content, by construction.
        await table.sendIf(
          new PutCommand({ TableName: table.name, Item: documentItem(document), ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        written.set(document.hash, true);
        known.set(document.hash, document.json);
      })().finally(() => writing.delete(document.hash));
      writing.set(document.hash, pending);
    }
    return pending;
  };

  return {
    /** Stores the documents this process has not stored yet; call before writing the credential that names them. */
    async ensure(documents: PublicDocument[]): Promise<void> {
      await Promise.all(documents.filter(({ hash }) => !written.get(hash)).map(write));
    },

    /** The JSON of each document, from memory or (consistently, as it may have been written just now) the table. */
    async load(hashes: Iterable<string>): Promise<Map<string, string>> {
      const found = new Map<string, string>();
      const missing: string[] = [];
      for (const hash of new Set(hashes)) {
        const json = known.get(hash);
        if (json !== undefined) found.set(hash, json);
        else missing.push(hash);
      }
      if (missing.length > 0) {
        for (const [i, documentZ] of (await fetch(missing)).entries()) {
          if (!documentZ) continue;
          const hash = missing[i]!;
          const json = unbrotli(documentZ);
          found.set(hash, json);
          known.set(hash, json);
        }
      }
      return found;
    },
  };
};

type Documents = ReturnType<typeof publicDocuments>;

/** The credential item with its keys: by id; by learner in issue order (gsi1); by expiry month (gsi2). */
const storedCredential = (record: Row) => {
  const { credential, unsigned, ...fields } = record;
  const signed = credential ? split(credential) : undefined;
  const waiting = unsigned ? split(unsigned) : undefined;
  return {
    item: {
      ...credentialKey(record.id),
      entity: 'credential',
      ...learnerCredentialsIndexKey(record.learnerId, record.issuedAt, record.id),
      ...(record.validUntil ? expiryIndexKey(record.validUntil, record.id) : {}),
      ...fields,
      ...(signed ? { credentialD: packed(signed.json, signed.document) } : {}),
      ...(waiting ? { unsignedD: packed(waiting.json, waiting.document) } : {}),
    },
    documents: [signed?.document, waiting?.document].filter((document) => document !== undefined),
  };
};

/**
 * The credential item exactly as the store writes it, and the public-document items it refers to, which must be in
 * the table too (for tools that write items directly, like the benchmarks; writing a document again is harmless).
 */
export const credentialItems = (record: Row) => {
  const { item, documents } = storedCredential(record);
  return { item, documents: documents.map(documentItem) };
};

type StoredCredential = Omit<Row, 'credential' | 'unsigned'> & {
  credentialD?: Uint8Array;
  unsignedD?: Uint8Array;
  /** Written before the public documents were split out: the whole JSON, Brotli. */
  credentialZ?: Uint8Array;
  unsignedZ?: Uint8Array;
};

/** A stored credential JSON, and the document needed to read it (none for the legacy Brotli one). */
const storedJson = (packedJson: Uint8Array | undefined, legacy: Uint8Array | undefined) => {
  if (packedJson) {
    const hash = documentNamedBy(packedJson);
    return {
      ...(hash !== undefined ? { hash } : {}),
      read: (documents: ReadonlyMap<string, string>): Json => {
        const document = hash === undefined ? undefined : documents.get(hash);
        if (hash !== undefined && document === undefined) throw new Error(`The public document ${hash} of a stored credential is missing.`);
        return unpacked(packedJson, document);
      },
    };
  }
  return legacy ? { read: (): Json => JSON.parse(unbrotli(legacy)) as Json } : undefined;
};

/** The records of stored items, reading the public documents they need once for them all. */
const recordsOf = async (documents: Documents, stored: StoredCredential[]): Promise<Row[]> => {
  const rows = stored.map(({ credentialD, unsignedD, credentialZ, unsignedZ, ...fields }) => ({
    fields,
    credential: storedJson(credentialD, credentialZ),
    unsigned: storedJson(unsignedD, unsignedZ),
  }));
  const found = await documents.load(
    rows.flatMap(({ credential, unsigned }) => [credential?.hash, unsigned?.hash].filter((hash) => hash !== undefined)),
  );
  return rows.map(({ fields, credential, unsigned }) => ({
    ...fields,
    ...(credential ? { credential: credential.read(found) } : {}),
    ...(unsigned ? { unsigned: unsigned.read(found) } : {}),
  }));
};

const records = async function* (documents: Documents, stored: AsyncIterable<StoredCredential>): AsyncGenerator<Row> {
  for await (const item of stored) yield* await recordsOf(documents, [item]);
};

export const dynamoCredentials = (table: Table): CredentialStore => {
  const documents = publicDocuments(table);
  return {
    async createOnce(record) {
      const { item, documents: referred } = storedCredential(record);
      // The documents first: a reader who finds the credential always finds what it refers to.
      await documents.ensure(referred);
      const created = await table.sendIf(
        new PutCommand({ TableName: table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return created ? { created: true } : { created: false, existingId: record.id };
    },

    async get(id) {
      const stored = await table.get<StoredCredential>(credentialKey(id));
      return stored ? (await recordsOf(documents, [stored]))[0] : undefined;
    },

    async getMany(ids) {
      const stored = (await table.getMany<StoredCredential>(ids.map(credentialKey))).filter((item) => item !== undefined);
      return new Map((await recordsOf(documents, stored)).map((record) => [record.id, record]));
    },

    listByLearner: async (learnerId, page) => {
      const result = await table.page<StoredCredential>(
        {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': learnerCredentialsPk(learnerId) },
          ScanIndexForward: true,
        },
        page,
      );
      return { ...result, items: await recordsOf(documents, result.items) };
    },

    async *listExpiring(fromIso, toIso, after) {
      // A continued run starts in the month it stopped in, from the credential it handled last (skipped below).
      const last = after ? expirySortKey(after.validUntil, after.credentialId) : undefined;
      for (const month of monthsBetween(after && after.validUntil > fromIso ? after.validUntil : fromIso, toIso)) {
        const from = last?.startsWith(month) && last > fromIso ? last : fromIso;
        const rows = records(
          documents,
          table.queryAll<StoredCredential>({
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :month AND gsi2sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':month': expiryMonthPk(month), ':from': from, ':to': toIso },
          }),
        );
        for await (const row of rows) {
          if (!row.validUntil || row.validUntil < fromIso || row.validUntil >= toIso) continue;
          if (expirySortKey(row.validUntil, row.id) !== last) yield row;
        }
      }
    },

    allByLearner: (learnerId) =>
      records(
        documents,
        table.queryAll<StoredCredential>({
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': learnerCredentialsPk(learnerId) },
        }),
      ),

    async latestIssuedAt(learnerId) {
      // The learner index sorts by issue time: the last key is the latest credential (only its keys are read).
      const { Items = [] } = await table.client.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': learnerCredentialsPk(learnerId) },
          ProjectionExpression: 'gsi1sk',
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const latest = Items[0]?.['gsi1sk'];
      return typeof latest === 'string' ? latest.slice(0, latest.indexOf('#')) : undefined;
    },

    async markSuperseded(id, byId) {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: credentialKey(id),
          UpdateExpression: 'SET supersededBy = :by',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':by': byId },
        }),
      );
    },

    async completePending(id, credential) {
      const { json, document } = split(credential);
      if (document) await documents.ensure([document]);
      return table.sendIf(
        new UpdateCommand({
          TableName: table.name,
          Key: credentialKey(id),
          UpdateExpression: 'SET #state = :issued, credentialD = :credential REMOVE unsignedD, unsignedZ',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':issued': 'issued', ':pending': 'pending_consent', ':credential': packed(json, document) },
        }),
      );
    },

    async markRevoked(id, revocation) {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: credentialKey(id),
          UpdateExpression: 'SET #state = :revoked, revocation = :revocation',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':revocation': revocation },
        }),
      );
    },
  };
};
