// API calls of the alert notification channels: list (with the available types), add, change, remove and test.
import type { AlertChannel, ChannelPatch, ChannelTestResult, ChannelType, NewChannelInput } from './alerts.types.ts';
import { apiRequest } from './client.ts';

const channelPath = (id: string) => `/alerts/channels/${encodeURIComponent(id)}`;

export function listChannels(): Promise<{ items: AlertChannel[]; types: ChannelType[] }> {
  return apiRequest('GET', '/alerts/channels');
}

export async function createChannel(input: NewChannelInput): Promise<AlertChannel> {
  const res = await apiRequest<{ channel: AlertChannel }>('POST', '/alerts/channels', { body: input });
  return res.channel;
}

export async function updateChannel(id: string, patch: ChannelPatch): Promise<AlertChannel> {
  const res = await apiRequest<{ channel: AlertChannel }>('PATCH', channelPath(id), { body: patch });
  return res.channel;
}

export function deleteChannel(id: string): Promise<void> {
  return apiRequest('DELETE', channelPath(id));
}

/** Sends a test message through the channel now and says whether the receiver took it. */
export function testChannel(id: string): Promise<ChannelTestResult> {
  return apiRequest('POST', `${channelPath(id)}/test`);
}
