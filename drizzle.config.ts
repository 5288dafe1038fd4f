import { defineConfig } from 'drizzle-kit';

// Only Pattern Ledger's own schema: the agents' tables (db/tracking-schema.ts) are never migrated.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  schemaFilter: ['pattern_ledger'],
  out: './migrations',
});
