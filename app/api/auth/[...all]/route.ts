import { getAuth } from '@/server/auth/auth';

export const dynamic = 'force-dynamic';

/** better-auth's own endpoints (sign-in, sign-out, session, admin). */
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export { handle as GET, handle as POST };
