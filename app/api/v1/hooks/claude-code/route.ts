import { hooksReceiver } from '@/server/capture/hooks-route';

export const dynamic = 'force-dynamic';

/** Claude Code's hook events (capture scope): server/capture/hooks-route.ts, docs/capture.md. */
export const POST = hooksReceiver;
