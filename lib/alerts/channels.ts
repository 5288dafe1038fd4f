/** Where alerts and reports are sent: what a channel may hold. */
import { z } from 'zod';
import { storableText } from '../text-safety';
import { MAX_CHANNELS_PER_RULE } from './metrics';

const id = z.coerce
  .number({ error: 'That is not an id.' })
  .int('That is not an id.')
  .positive('That is not an id.')
  .max(Number.MAX_SAFE_INTEGER, 'That is not an id.');

/**
 * The channels a rule or a schedule sends to: form checkboxes and multi-selects arrive as one
 * value or many, ids as strings.
 */
export const channelIdList = z.preprocess(
  (value): unknown[] =>
    value === undefined || value === ''
      ? []
      : Array.isArray(value)
        ? (value as unknown[])
        : typeof value === 'string'
          ? value.split(',').filter(Boolean)
          : [value],
  z
    .array(id)
    .max(MAX_CHANNELS_PER_RULE, `A rule sends to at most ${MAX_CHANNELS_PER_RULE} channels.`),
);

export const CHANNEL_KINDS = ['webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
const email = z.email('Each address must be an email address.');

export const channelInput = z
  .object({
    name: storableText(z.string().trim().min(1, 'Name the channel.').max(100)),
    kind: z.enum(CHANNEL_KINDS, { error: 'Choose webhook or email.' }),
    target: storableText(z.string().trim().min(1, 'Give the URL or the addresses.').max(2000)),
    format: z.enum(['json', 'slack'], { error: 'Choose JSON or Slack.' }).default('json'),
    secret: storableText(z.string().max(200, 'A secret is at most 200 characters.'))
      .optional()
      .default(''),
  })
  .superRefine((channel, ctx) => {
    if (channel.kind === 'webhook') {
      let url: URL | null = null;
      try {
        url = new URL(channel.target);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        ctx.addIssue({
          code: 'custom',
          path: ['target'],
          message: 'A webhook URL starts with http:// or https://.',
        });
    } else {
      const addresses = emailAddresses(channel.target);
      if (addresses.length === 0 || addresses.length > 20)
        ctx.addIssue({ code: 'custom', path: ['target'], message: 'Give 1 to 20 addresses.' });
      for (const address of addresses) {
        if (!email.safeParse(address).success) {
          ctx.addIssue({
            code: 'custom',
            path: ['target'],
            message: `“${address.slice(0, 80)}” is not an email address.`,
          });
          break;
        }
      }
    }
  });
export type ChannelInput = z.output<typeof channelInput>;

export function emailAddresses(target: string): string[] {
  return target
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}
