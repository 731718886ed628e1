import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { EXPORT_FILE_LIFETIME_MS } from '../../src/app/export-files.js';
import type { FileHosts } from './file-hosts.js';
import type { OutgoingMessage } from './render/reply.js';

/**
 * Files in Teams without Graph permissions: the bot sends a file consent card; when the user accepts,
 * Teams gives an upload URL in their own OneDrive, the bot PUTs the bytes there and posts a file card
 * the user opens like any Teams file. Nothing is served from our HTTP server, no public URL is needed,
 * and the file goes only to the person who accepted.
 *
 * The card's context comes back in the invoke, so it is signed, bound to the recipient and expiring:
 * a forged accept cannot fetch another path or someone else's export.
 */
export const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';
// An offer lasts as long as the export file it points to is kept.
const OFFER_LIFETIME_MS = EXPORT_FILE_LIFETIME_MS;

const offerSchema = z.object({ p: z.string(), n: z.string(), u: z.string(), e: z.number() });
type Offer = z.output<typeof offerSchema>;

export const fileConsentSchema = z.object({
  type: z.literal('fileUpload').optional(),
  action: z.enum(['accept', 'decline']),
  context: z.object({ offer: z.string().max(4000) }),
  uploadInfo: z
    .object({
      name: z.string(),
      uploadUrl: z.string().url(),
      contentUrl: z.string(),
      uniqueId: z.string().optional(),
      fileType: z.string().optional(),
    })
    .optional(),
});

export type FileConsent = z.output<typeof fileConsentSchema>;

export interface FileOffers {
  /** The consent card offering `path` to `teamsUserId`. */
  offer(
    file: { path: string; name: string; description: string },
    teamsUserId: string,
    now: Date,
  ): Promise<OutgoingMessage>;
  /** The file an accepted card offered, if the context is ours, unexpired and for this user. */
  verify(token: string, teamsUserId: string, now: Date): Offer | undefined;
  /**
   * Uploads to the URL Teams gave, if it is one the bot may send files to (file-hosts.ts; no redirect is
   * followed), and returns the file card to post; rejects when it is not, fails or takes too long.
   */
  upload(
    offer: Offer,
    info: NonNullable<FileConsent['uploadInfo']>,
    serviceUrl: string,
  ): Promise<OutgoingMessage>;
}

/** `secret` signs offers; without one (no app password), offers last as long as the process. */
export function createFileOffers(secret: string | undefined, hosts: FileHosts): FileOffers {
  const key = createHmac('sha256', secret ?? randomBytes(32))
    .update('teams-file-offer')
    .digest();
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url');

  return {
    async offer(file, teamsUserId, now) {
      const size = (await stat(file.path)).size;
      const body = Buffer.from(
        JSON.stringify({ p: file.path, n: file.name, u: teamsUserId, e: now.getTime() + OFFER_LIFETIME_MS }),
      ).toString('base64url');
      const token = `${body}.${sign(body)}`;
      return {
        type: 'message',
        attachments: [
          {
            contentType: FILE_CONSENT,
            name: basename(file.name),
            content: {
              description: file.description,
              sizeInBytes: size,
              acceptContext: { offer: token },
              declineContext: { offer: token },
            },
          },
        ],
      };
    },

    verify(token, teamsUserId, now) {
      const [body, signature] = token.split('.');
      if (!body || !signature) return undefined;
      const expected = Buffer.from(sign(body));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      const parsed = offerSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      if (!parsed.success || parsed.data.u !== teamsUserId || parsed.data.e < now.getTime()) return undefined;
      return parsed.data;
    },

    async upload(offer, info, serviceUrl) {
      const bytes = await readFile(offer.p);
      const response = await hosts.fetch(
        new URL(info.uploadUrl),
        {
          method: 'PUT',
          // Content-Length is fetch's to set from the bytes: given by hand, Node 20's fetch refuses it once
          // Bolt has loaded its newer HTTP client, which takes over as the process's dispatcher.
          headers: { 'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
          body: bytes,
          redirects: 0,
        },
        serviceUrl,
      );
      // Only the status matters: the answer's body is let go, so its connection is not held.
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw new Error(`upload refused: HTTP ${response.status}`);
      return {
        type: 'message',
        attachments: [
          {
            contentType: FILE_INFO,
            contentUrl: info.contentUrl,
            name: info.name,
            content: { uniqueId: info.uniqueId, fileType: info.fileType ?? 'xlsx' },
          },
        ],
      };
    },
  };
}
