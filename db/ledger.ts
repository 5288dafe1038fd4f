import { pgSchema } from 'drizzle-orm/pg-core';

/** Pattern Ledger's own schema: every table, view and function it adds lives here. */
export const LEDGER_SCHEMA = 'pattern_ledger';
export const ledger = pgSchema(LEDGER_SCHEMA);
