/**
 * How capture turns a matched event into an occurrence's matched_characteristics, and an offloaded
 * run into the tokens and dollars it saved, with a note that says how. Pure: db/capture/derive.ts
 * reads the rows and writes the results.
 */
import { formatCount } from '../format';

/** A new (workflow, pattern) pair a rule found, with the event that found it. */
export type DerivedOccurrenceRow = {
  id: number;
  workflowKey: string;
  signature: string;
  ruleId: number;
  ruleVersion: number;
  ruleName: string;
  source: string;
  occurredAt: number;
  operation: string;
  durationMs: number | null;
  success: boolean | null;
};

const PATH_LIKE =
  /(?:^|\s)((?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+|[\w-]+\.(?:py|ts|tsx|js|jsx|json|toml|cfg|yaml|yml|md|sql))(?=\s|$)/g;

/** The real system's six keys (input_length, keywords, …), then where it came from. */
export function characteristicsOf(row: DerivedOccurrenceRow): Record<string, unknown> {
  const files = [...row.operation.matchAll(PATH_LIKE)].map((m) => m[1]!).slice(0, 20);
  const subtype = row.signature.split(':')[1];
  const seconds = row.durationMs === null ? null : row.durationMs / 1000;
  return {
    input_length: row.operation.length,
    keywords: subtype ? [subtype] : [],
    files_mentioned: [...new Set(files)],
    duration_range:
      seconds === null ? 'unknown' : seconds < 10 ? 'short' : seconds < 120 ? 'medium' : 'long',
    complexity: files.length > 3 || row.operation.length > 200 ? 'moderate' : 'simple',
    error_count: row.success === false ? 1 : 0,
    source: row.source,
    rule: { id: row.ruleId, name: row.ruleName, version: row.ruleVersion },
  };
}

/** A completed run of a pattern's deterministic tool, with what is known of its cost. */
export type OffloadRun = {
  eventId: number;
  sessionId: string | null;
  workflowKey: string;
  occurredAt: number;
  operation: string;
  patternId: number;
  signature: string;
  toolName: string | null;
  toolScriptPath: string | null;
  avgTokensWithLlm: number | null;
  avgTokensWithTool: number | null;
  runKey: string;
  operationDigest: string;
  /** The session's api_request tokens in the minute after the run (null: no OTel data). */
  runInputTokens: number | null;
  runOutputTokens: number | null;
  model: string | null;
  pricedAs: string;
  inputPrice: number;
  outputPrice: number;
  priceFrom: string;
};

/** What the same operation cost through the model: measured medians over the model's runs. */
export type Baseline = { inputTokens: number; outputTokens: number; runs: number };

export type SavedTokens = {
  baseline: number;
  actual: number;
  usd: number;
  measured: boolean;
  /** The run used more than the model path's median: recorded as no saving. */
  clamped: boolean;
  baselineRuns: number;
};

const whole = (n: number | null) => Math.max(0, Math.round(n ?? 0));
const PER_MILLION = 1_000_000;

/**
 * Measured where both sides are: the model path's median tokens (baseline) against this run's
 * own (actual), each priced at the model's input or output price. Else estimated: the pattern's
 * stored averages (avg_tokens_with_llm − avg_tokens_with_tool), priced at the input price.
 */
export function savedTokens(run: OffloadRun, baseline: Baseline | null): SavedTokens {
  const measured = baseline !== null && run.runInputTokens !== null;
  let usd: number;
  let base: number;
  let actual: number;
  if (measured) {
    const savedIn = baseline.inputTokens - (run.runInputTokens ?? 0);
    const savedOut = baseline.outputTokens - (run.runOutputTokens ?? 0);
    base = whole(baseline.inputTokens + baseline.outputTokens);
    actual = whole((run.runInputTokens ?? 0) + (run.runOutputTokens ?? 0));
    usd = (savedIn * run.inputPrice + savedOut * run.outputPrice) / PER_MILLION;
  } else {
    base = whole(run.avgTokensWithLlm);
    actual = whole(run.avgTokensWithTool);
    usd = ((base - actual) * run.inputPrice) / PER_MILLION;
  }
  const clamped = actual > base || usd < 0;
  return {
    baseline: base,
    actual: clamped ? base : actual,
    usd: clamped ? 0 : Math.round(usd * 10_000) / 10_000,
    measured,
    clamped,
    baselineRuns: baseline?.runs ?? 0,
  };
}

/** The savings entry's note: the pattern, the tool, and how the figure was made. */
export function offloadNote(run: OffloadRun, tokens: SavedTokens): string {
  const tool = run.toolScriptPath ?? run.toolName ?? 'its tool';
  const how = tokens.measured
    ? `measured: the model path took a median ${formatCount(tokens.baseline)} tokens over ${formatCount(tokens.baselineRuns)} runs (OTel api_request events in the minute after each), this run ${formatCount(tokens.actual)}`
    : `estimated from the pattern's stored averages: ${formatCount(tokens.baseline)} tokens with the model, ${formatCount(tokens.actual)} with the tool`;
  const price = `priced as ${run.pricedAs === '*' ? 'any model' : run.pricedAs} ($${run.inputPrice}/$${run.outputPrice} per million input/output tokens, from ${run.priceFrom})`;
  const clamped = tokens.clamped
    ? ' The run cost more than that, so it is recorded as no saving.'
    : '';
  return `Pattern: ${run.signature} · offloaded to ${tool} · ${how}; ${price}${run.model ? `; model ${run.model}` : ''}. Derived by Pattern Ledger capture.${clamped}`;
}
