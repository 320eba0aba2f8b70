// age encryption of backups (the age-encryption package: the format of the age tool, so `age -d` decrypts them too):
// to X25519 recipients ("age1…", whose identities can stay off the machine) or with a passphrase (scrypt).
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { AppError } from '../shared/errors.ts';

/** Who can open a backup: recipients' public keys, or one passphrase. */
export type Sealing = { recipients: readonly string[] } | { passphrase: string };
/** What opens a backup: identities ("AGE-SECRET-KEY-1…") and/or passphrases. */
export type Opening = { identities?: readonly string[]; passphrases?: readonly string[] };

/** The readable's bytes, encrypted as one age file. */
export async function encryptStream(input: Readable, sealing: Sealing): Promise<Readable> {
  const e = new Encrypter();
  if ('passphrase' in sealing) e.setPassphrase(sealing.passphrase);
  else {
    if (sealing.recipients.length === 0) throw new AppError(400, 'no_recipients', 'Backups need at least one age recipient or a passphrase.');
    for (const r of sealing.recipients) e.addRecipient(r);
  }
  const out = await e.encrypt(Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
}

/** The plaintext of an age file; refused (400 cannot_decrypt) when nothing given opens it. */
export async function decryptStream(input: Readable, opening: Opening): Promise<Readable> {
  const d = new Decrypter();
  for (const p of opening.passphrases ?? []) d.addPassphrase(p);
  for (const i of opening.identities ?? []) d.addIdentity(i);
  if (!opening.passphrases?.length && !opening.identities?.length) {
    throw new AppError(400, 'cannot_decrypt', 'Give the backup passphrase (AETHER_BACKUP_PASSPHRASE) or an age identity file to open it.');
  }
  try {
    const out = await d.decrypt(Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>);
    return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
  } catch (err) {
    throw new AppError(400, 'cannot_decrypt', `The backup cannot be opened with what was given (${err instanceof Error ? err.message : 'not an age file'}).`);
  }
}

/** A new X25519 identity and its recipient, for `aether backup keygen`. */
export async function newIdentity(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** The recipient (public key) of an identity. */
export const recipientOf = (identity: string): Promise<string> => identityToRecipient(identity);

/** Whether a string is an age X25519 recipient. */
export const isRecipient = (s: string) => /^age1[02-9ac-hj-np-z]{58}$/.test(s);
