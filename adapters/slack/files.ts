import { readFile } from 'node:fs/promises';
import type { webApi } from '@slack/bolt';
import { z } from 'zod';

const openedSchema = z.object({ channel: z.object({ id: z.string() }) });

/** Posting to a user id lands in the app's direct message with them; uploads need that channel's own id. */
export async function directChannel(client: webApi.WebClient, userOrChannelId: string): Promise<string> {
  if (!/^[UW]/.test(userOrChannelId)) return userOrChannelId;
  const opened = openedSchema.parse(await client.conversations.open({ users: userOrChannelId }));
  return opened.channel.id;
}

/**
 * Files upload v2: `files.getUploadURLExternal`, the bytes to the URL Slack gives,
 * then `files.completeUploadExternal` sharing the file into the conversation.
 */
export async function uploadFile(
  client: webApi.WebClient,
  to: string,
  file: { path: string; name: string },
  title: string,
  comment?: string,
): Promise<void> {
  const channelId = await directChannel(client, to);
  const data = await readFile(file.path);
  await client.filesUploadV2({
    channel_id: channelId,
    file: data,
    filename: file.name,
    title,
    ...(comment ? { initial_comment: comment } : {}),
  });
}
