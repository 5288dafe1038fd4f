/**
 * The OpenAPI document of /api/v1, served at /api/v1/openapi.json. Request bodies and query
 * parameters come from the same zod schemas the endpoints validate with, so the document cannot
 * drift from the code.
 */
import { z } from 'zod';
import { leaderboardParamsSchema } from '@/lib/leaderboard-params';
import { timeParamsSchema } from '@/lib/time-range';
import { MAX_BATCH_ITEMS, occurrenceBatch, savingsBatch } from './ingest-schemas';

/**
 * A component schema from a zod schema. zod puts recursive parts (any JSON) under the schema's own
 * `$defs` and points at them from its root; inside the OpenAPI document the pointers must name
 * the component.
 */
function componentSchema(name: string, schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...generated } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const text = JSON.stringify(generated).replaceAll(
    '"#/$defs/',
    `"#/components/schemas/${name}/$defs/`,
  );
  return JSON.parse(text) as Record<string, unknown>;
}

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    issues: {
      type: 'array',
      description: 'Every refused item and field (400 only)',
      items: {
        type: 'object',
        properties: {
          item: { type: ['integer', 'null'], description: 'Index in the batch; null: the batch' },
          field: { type: ['string', 'null'] },
          message: { type: 'string' },
        },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const writeResponses = {
  '400': errorResponse('Malformed JSON or invalid items; nothing was written'),
  '401': errorResponse('No API key, or a revoked or unknown one'),
  '403': errorResponse('The key has only the read scope'),
  '413': errorResponse('The body is larger than API_MAX_BODY_BYTES (2 MiB by default)'),
  '415': errorResponse('The body is not application/json'),
  '422': errorResponse('The Idempotency-Key was used before for a different request'),
  '429': errorResponse('Too many requests for this key this minute; see Retry-After'),
  '503': errorResponse('The database cannot be reached'),
};

const readResponses = {
  '401': writeResponses['401'],
  '429': writeResponses['429'],
  '503': writeResponses['503'],
};

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string per batch (e.g. a UUID). A retry with the same key and body returns the first answer (header Idempotent-Replayed: true) and writes nothing again. Remembered for 24 hours.',
  schema: { type: 'string', maxLength: 255 },
};

/**
 * The query parameters of a read endpoint, from the zod schemas the endpoint parses them with
 * (their `.meta()` descriptions included), so the document names exactly what is accepted.
 */
function queryParameters(...schemas: z.ZodObject[]) {
  return schemas.flatMap((schema) =>
    Object.entries(schema.shape).map(([name, field]) => {
      const {
        $schema: _dialect,
        description,
        ...json
      } = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      return { name, in: 'query', required: false, description, schema: json };
    }),
  );
}

const timeParameters = queryParameters(timeParamsSchema);

const created = (description: string, extra: Record<string, object> = {}) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          inserted: { type: 'integer' },
          ids: {
            type: 'array',
            items: { type: 'integer' },
            description: 'New row ids in item order',
          },
          ...extra,
        },
      },
    },
  },
});

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pattern Ledger API',
      version: '1',
      description: `Write pattern occurrences and savings entries the way the real system does, and read the figures the pages show. Authenticate with an API key created by an admin on /admin/api-keys: \`Authorization: Bearer <key>\`. Each batch (1 to ${MAX_BATCH_ITEMS} items) is one transaction: one bad item refuses the whole batch and nothing is written.`,
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'pl_… key' } },
      schemas: {
        Error: error,
        OccurrenceBatch: componentSchema('OccurrenceBatch', occurrenceBatch),
        SavingsBatch: componentSchema('SavingsBatch', savingsBatch),
      },
    },
    paths: {
      '/api/v1/occurrences': {
        post: {
          summary: 'Record pattern occurrences',
          description:
            "A new signature creates its pattern (type from the item, else the part before the first colon). Each pattern's occurrence_count grows by its number of new occurrences and last_seen moves to the latest one. Needs the write scope.",
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/OccurrenceBatch' } },
            },
          },
          responses: {
            '201': created('Written', {
              pattern_ids: {
                type: 'array',
                items: { type: 'integer' },
                description: 'The pattern of each occurrence, in item order',
              },
              patterns_created: {
                type: 'array',
                items: { type: 'string' },
                description: 'Signatures of patterns this batch created',
              },
            }),
            ...writeResponses,
          },
        },
      },
      '/api/v1/savings': {
        post: {
          summary: 'Log savings entries',
          description:
            'tokens_saved is baseline_tokens − actual_tokens; when sent it must equal that. A pattern is named by pattern_id or pattern_signature and must exist. Needs the write scope.',
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/SavingsBatch' } },
            },
          },
          responses: { '201': created('Written'), ...writeResponses },
        },
      },
      '/api/v1/patterns': {
        get: {
          summary: 'The pattern leaderboard',
          description:
            'The /patterns page as JSON, with its filters, sort and paging. Similarities are 0–1 whatever the stored scale.',
          parameters: queryParameters(timeParamsSchema, leaderboardParamsSchema),
          responses: { '200': { description: 'One page of the leaderboard' }, ...readResponses },
        },
      },
      '/api/v1/summary': {
        get: {
          summary: 'Summary figures',
          description:
            "The overview's figures for the range (USD and tokens saved, entries, occurrences, active patterns, average similarity, actual monthly rate) and for the period of equal length before it (null for all time or when it holds nothing).",
          parameters: timeParameters,
          responses: { '200': { description: 'Figures' }, ...readResponses },
        },
      },
    },
  };
}
