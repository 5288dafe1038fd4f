/**
 * `npm run user:create -- --email you@example.com [--role viewer|editor|admin] [--name N]`:
 * creates an account on the configured database. The password is asked for on a terminal;
 * otherwise (or with --generate) a strong one is generated and printed once.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { createAuth } from '../server/auth/auth';
import { parseCli, runWithDatabase } from './cli';

const usage = `Usage: npm run user:create -- --email EMAIL [--role viewer|editor|admin] [--name NAME] [--generate]
  --role      viewer (read), editor (also annotate notes) or admin (also manage users); default viewer
  --generate  generate the password instead of asking for it`;

const args = parseCli(
  {
    email: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    generate: { type: 'boolean' },
  },
  usage,
);
const input = z
  .object({
    email: z.email('--email must be an email address'),
    role: z
      .enum(['viewer', 'editor', 'admin'], { error: '--role must be viewer, editor or admin' })
      .default('viewer'),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .safeParse({ email: args.email, role: args.role, name: args.name });
if (!input.success) {
  console.error(`${input.error.issues.map((i) => i.message).join('\n')}\n\n${usage}`);
  process.exit(2);
}

async function askPassword(): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const reader = createInterface({ input: process.stdin, output, terminal: true });
  const ask = async (question: string) => {
    process.stdout.write(question);
    muted = true;
    const answer = await reader.question('');
    muted = false;
    process.stdout.write('\n');
    return answer;
  };
  try {
    const first = await ask('Password (at least 10 characters): ');
    if (first.length < 10) throw new Error('the password must have at least 10 characters');
    if ((await ask('Again: ')) !== first) throw new Error('the two passwords differ');
    return first;
  } finally {
    reader.close();
  }
}

await runWithDatabase(1, async (handle) => {
  const { email, role, name } = input.data;
  const generated = args.generate || !process.stdin.isTTY;
  const password = generated ? randomBytes(18).toString('base64url') : await askPassword();
  await handle.migrate();
  const auth = createAuth(handle);
  await auth.api.createUser({
    body: { email, password, name: name ?? email.split('@')[0]!, role },
  });
  console.log(`created ${email} with the ${role} role on ${handle.location}`);
  if (generated) console.log(`password (shown once): ${password}`);
});
