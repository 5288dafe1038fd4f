/**
 * The deterministic demo-data generator. Given the same options it yields exactly the same rows.
 * It is pure (no database); `seed.ts` writes what it yields.
 */
import type { AutomationStatus, OptimizationType } from '../schema';
import type * as tracking from '../tracking-schema';
import {
  CORE_SIGNATURES,
  FILES,
  KEYWORDS,
  MODELS,
  NOTE_TEXTS,
  REVIEWERS,
  TEMPLATES,
  workflowSignatures,
} from './catalog';
import { Random, WeightedPicker } from './random';

/** Price used to turn saved tokens into dollars: $3 per million tokens, as the real system's designs. */
export const USD_PER_TOKEN = 3 / 1_000_000;
export const DEMO_PATTERN_COUNT = 200;
export const DEMO_DAYS = 120;
const BASE_WORKFLOWS = 3_000;
/** Patterns at the tail of the ranking that never occur: a real database has such rows. */
const PATTERNS_WITHOUT_OCCURRENCES = 4;

export type PatternRow = typeof tracking.operationPatterns.$inferInsert;
export type OccurrenceRow = Omit<typeof tracking.patternOccurrences.$inferInsert, 'patternId'> & {
  /** Index into the generated patterns; the writer maps it to the inserted id. */
  patternIndex: number;
};
export type SavingsRow = Omit<typeof tracking.costSavingsLog.$inferInsert, 'patternId'> & {
  patternIndex: number | null;
};
export type WorkflowRow = typeof tracking.workflowHistory.$inferInsert;
export type ToolCallRow = typeof tracking.toolCalls.$inferInsert;

export type GenerateOptions = {
  seed?: number;
  /** The end of the generated period; rows fall in the DEMO_DAYS before it. */
  anchor: Date;
  /** Multiplies workflows, occurrences and savings (patterns stay at DEMO_PATTERN_COUNT). */
  scale?: number;
};

export type DemoBatch = {
  workflows: WorkflowRow[];
  occurrences: OccurrenceRow[];
  savings: SavingsRow[];
  toolCalls: ToolCallRow[];
};

type PatternPlan = {
  row: PatternRow;
  weight: number;
  automated: boolean;
  llmTokens: number;
  toolTokens: number;
};

type WorkflowPlan = { id: string; start: Date; durationMs: number; hasHistory: boolean };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function demoVolumes(scale = 1) {
  return {
    patterns: DEMO_PATTERN_COUNT,
    workflows: BASE_WORKFLOWS * scale,
    // ~10 occurrences and ~3.3 savings rows per workflow: the generator's averages.
    occurrences: BASE_WORKFLOWS * scale * 10,
    savings: Math.round(BASE_WORKFLOWS * scale * 3.33),
  };
}

export class DemoGenerator {
  readonly patterns: PatternPlan[];
  private readonly random: Random;
  private readonly anchor: Date;
  private readonly workflowCount: number;
  private readonly patternPicker: WeightedPicker;

  constructor(options: GenerateOptions) {
    this.random = new Random(options.seed ?? 20251217);
    this.anchor = options.anchor;
    this.workflowCount = BASE_WORKFLOWS * Math.max(1, Math.floor(options.scale ?? 1));
    this.patterns = this.planPatterns();
    this.patternPicker = new WeightedPicker(this.patterns.map((p) => p.weight));
  }

  get patternRows(): PatternRow[] {
    return this.patterns.map((p) => p.row);
  }

  /** Yields the workflows and everything they produced, `batchSize` workflows at a time. */
  *batches(batchSize = 250): Generator<DemoBatch> {
    const plans = this.planWorkflows();
    for (let from = 0; from < plans.length; from += batchSize) {
      const batch: DemoBatch = { workflows: [], occurrences: [], savings: [], toolCalls: [] };
      for (const plan of plans.slice(from, from + batchSize)) this.fillWorkflow(plan, batch);
      yield batch;
    }
  }

  private planPatterns(): PatternPlan[] {
    const r = this.random;
    const signatures = [
      ...r.shuffle(CORE_SIGNATURES),
      ...r.shuffle(workflowSignatures(DEMO_PATTERN_COUNT - CORE_SIGNATURES.length)),
    ];
    const statusWeights: [AutomationStatus, number][] = [
      ['detected', 34],
      ['candidate', 20],
      ['approved', 12],
      ['implemented', 13],
      ['active', 15],
      ['deprecated', 6],
    ];
    const statusPicker = new WeightedPicker(statusWeights.map(([, w]) => w));
    return signatures.map((signature, rank) => {
      const silent = rank >= signatures.length - PATTERNS_WITHOUT_OCCURRENCES;
      // Every status appears among the popular patterns; the rest follow the weights.
      const status = silent
        ? 'candidate'
        : rank < statusWeights.length
          ? (statusWeights[rank]?.[0] as AutomationStatus)
          : (statusWeights[statusPicker.pick(r)]?.[0] as AutomationStatus);
      const type = signature.split(':')[0] as string;
      const llmTokens = Math.round(r.between(4_000, type === 'sdlc' ? 120_000 : 45_000));
      const toolTokens = Math.round(llmTokens * r.between(0.04, 0.25));
      const costLlm = llmTokens * USD_PER_TOKEN;
      const costTool = toolTokens * USD_PER_TOKEN;
      const weight = silent ? 0 : 1 / Math.pow(rank + 1, 1.1);
      const expectedMonthly = (weight / harmonic(signatures.length)) * 10 * 750;
      const reviewed = ['approved', 'implemented', 'active', 'deprecated'].includes(status);
      const automated = status === 'implemented' || status === 'active';
      const toolName = automated ? `run_${signature.replace(/[^a-z0-9]+/g, '_')}` : null;
      const created = new Date(this.anchor.getTime() - r.between(125, 200) * DAY);
      return {
        weight,
        automated,
        llmTokens,
        toolTokens,
        row: {
          patternSignature: signature,
          patternType: type,
          firstDetected: created,
          lastSeen: created,
          occurrenceCount: 0,
          typicalInputPattern: `${type} request touching ${r.pick(FILES)}`,
          typicalOperations: JSON.stringify([type, r.pick(KEYWORDS)]),
          typicalFilesAccessed: JSON.stringify([r.pick(FILES)]),
          avgTokensWithLlm: llmTokens,
          avgTokensWithTool: toolTokens,
          avgCostWithLlm: round(costLlm, 6),
          avgCostWithTool: round(costTool, 6),
          // Estimates are optimistic or pessimistic by up to 3x, as real estimates are.
          potentialMonthlySavings: round(
            (costLlm - costTool) * expectedMonthly * Math.exp(r.between(-1.1, 1.1)),
            2,
          ),
          automationStatus: status,
          confidenceScore: round(r.between(status === 'detected' ? 35 : 60, 99), 1),
          toolName,
          toolScriptPath: toolName ? `adws/tools/${toolName}.py` : null,
          reviewedBy: reviewed ? r.pick(REVIEWERS) : null,
          reviewedAt: reviewed ? new Date(created.getTime() + r.between(1, 20) * DAY) : null,
          reviewNotes: reviewed
            ? r.pick([
                'Deterministic; safe to offload.',
                'Approved after a week of shadow runs.',
                'Superseded by sdlc:full:all.',
                'Tool output matches LLM output on 50 samples.',
              ])
            : null,
          createdAt: created,
          updatedAt: created,
        },
      };
    });
  }

  private planWorkflows(): WorkflowPlan[] {
    const r = this.random;
    const anchorMs = this.anchor.getTime();
    // Days start at UTC midnight so that the hour rhythm below is an hour of the UTC day.
    const firstDay = Math.floor((anchorMs - DEMO_DAYS * DAY) / DAY) * DAY;
    const days = Math.ceil((anchorMs - firstDay) / DAY);
    // Weekday rhythm and slow growth over the period.
    const dayWeights = Array.from({ length: days }, (_, d) => {
      const weekday = new Date(firstDay + d * DAY).getUTCDay();
      return (weekday === 0 || weekday === 6 ? 0.25 : 1) * (0.6 + (0.8 * d) / days);
    });
    // Working hours (UTC), with a little night-time automation.
    const hourWeights = Array.from({ length: 24 }, (_, h) =>
      h >= 8 && h <= 18 ? (h === 12 ? 0.6 : 1) : 0.06,
    );
    const dayPicker = new WeightedPicker(dayWeights);
    const hourPicker = new WeightedPicker(hourWeights);
    const periodStart = anchorMs - DEMO_DAYS * DAY;
    const plans: WorkflowPlan[] = [];
    for (let i = 0; i < this.workflowCount; i++) {
      const durationMs = r.int(4, 95) * 60_000;
      // Draw again (rather than clamp, which would pile runs up at the anchor) until the run
      // lies inside the period and has ended before the anchor.
      let startMs: number;
      do {
        startMs =
          firstDay + dayPicker.pick(r) * DAY + hourPicker.pick(r) * HOUR + r.int(0, 3_599) * 1000;
      } while (startMs < periodStart || startMs + durationMs >= anchorMs);
      const orphan = r.chance(0.02);
      const id = orphan && r.chance(0.3) ? `test-${r.hex(6)}` : `adw-${r.hex(8)}`;
      plans.push({ id, start: new Date(startMs), durationMs, hasHistory: !orphan });
    }
    return plans.sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  private fillWorkflow(plan: WorkflowPlan, batch: DemoBatch): void {
    const r = this.random;
    const at = () => new Date(plan.start.getTime() + Math.floor(r.next() * plan.durationMs));
    const wfHex = r.hex(32);
    // Some writers record the `wf-<hex>` id instead of the adw id; both must resolve.
    const recordedId = plan.hasHistory && r.chance(0.05) ? `wf-${wfHex}` : plan.id;

    const matched = new Set<number>();
    const occurrenceCount = r.int(4, 16);
    for (
      let attempt = 0;
      matched.size < occurrenceCount && attempt < occurrenceCount * 4;
      attempt++
    ) {
      const index = this.patternPicker.pick(r);
      // Older databases hold duplicate (pattern, workflow) rows; keep a few.
      const duplicate = matched.has(index);
      if (duplicate && !r.chance(0.01)) continue;
      matched.add(index);
      batch.occurrences.push({
        patternIndex: index,
        workflowId: recordedId,
        similarityScore: r.chance(0.002) ? null : similarity(r),
        matchedCharacteristics: characteristics(r),
        detectedAt: at(),
      });
    }

    const savingsCount = r.int(1, 5) + (r.chance(0.33) ? 1 : 0);
    let totalSaved = 0;
    for (let k = 0; k < savingsCount; k++) {
      const row = this.savingsRow(r, recordedId, [...matched], at(), batch);
      totalSaved += row.tokensSaved ?? 0;
      batch.savings.push(row);
    }

    if (plan.hasHistory) {
      const inputTokens = r.int(40_000, 1_500_000);
      const outputTokens = Math.round(inputTokens * r.between(0.05, 0.2));
      const cachedTokens = Math.round(inputTokens * r.between(0.1, 0.6));
      const cost = (inputTokens + outputTokens) * USD_PER_TOKEN;
      const endMs = plan.start.getTime() + plan.durationMs;
      const running = this.anchor.getTime() - endMs < 2 * HOUR && r.chance(0.5);
      const status = running ? 'running' : r.chance(0.09) ? 'failed' : 'completed';
      batch.workflows.push({
        adwId: plan.id,
        workflowId: `wf-${wfHex}`,
        issueNumber: r.int(1, 480),
        nlInput: `Issue: ${r.pick(KEYWORDS)} ${r.pick(KEYWORDS)}`,
        githubUrl: `https://github.com/example/tac-webbuilder/issues/${r.int(1, 480)}`,
        workflowTemplate: r.pick(TEMPLATES),
        modelUsed: r.pick(MODELS),
        status,
        startTime: plan.start,
        endTime: running ? null : new Date(endMs),
        durationSeconds: running ? null : Math.round(plan.durationMs / 1000),
        inputTokens,
        outputTokens,
        cachedTokens,
        totalTokens: inputTokens + outputTokens,
        estimatedCostTotal: (cost + totalSaved * USD_PER_TOKEN).toFixed(4),
        actualCostTotal: cost.toFixed(4),
        createdAt: plan.start,
        updatedAt: new Date(endMs),
      });
    }
  }

  private savingsRow(
    r: Random,
    workflowId: string,
    matched: number[],
    savedAt: Date,
    batch: DemoBatch,
  ): SavingsRow {
    const type = pickType(r);
    let patternIndex: number | null = null;
    let baseline: number;
    let actual: number;
    let toolCallId: string | null = null;
    let note: string | null = null;

    if (type === 'pattern_offload' && matched.length > 0) {
      const automated = matched.filter((i) => this.patterns[i]?.automated);
      patternIndex = r.pick(automated.length > 0 ? automated : matched);
      const plan = this.patterns[patternIndex] as PatternPlan;
      baseline = Math.round(plan.llmTokens * r.between(0.7, 1.3));
      actual = Math.min(baseline, Math.round(plan.toolTokens * r.between(0.7, 1.3)));
      if (r.chance(0.25)) note = `Pattern: ${plan.row.patternSignature}`;
    } else if (type === 'tool_call' || type === 'pattern_offload') {
      baseline = r.int(2_000, 30_000);
      actual = Math.round(baseline * r.between(0.1, 0.4));
      toolCallId = `toolu_${r.hex(24)}`;
      // A few savings point at tool calls that were never recorded.
      if (!r.chance(0.03)) {
        const calledAt = new Date(savedAt.getTime() - r.int(1, 60) * 1000);
        const duration = round(r.between(0.2, 40), 2);
        const success = r.chance(0.94);
        batch.toolCalls.push({
          toolCallId,
          workflowId,
          toolName: r.pick([
            'run_pytest',
            'run_typecheck',
            'run_eslint',
            'git_diff_summary',
            'run_vitest',
          ]),
          toolParams: JSON.stringify({ cwd: 'app/server', args: ['-q'] }),
          calledAt,
          completedAt: new Date(calledAt.getTime() + duration * 1000),
          durationSeconds: duration,
          success,
          resultData: success ? JSON.stringify({ passed: r.int(10, 400), failed: 0 }) : null,
          errorMessage: success ? null : 'exit status 1',
          tokensSaved: baseline - actual,
          costSavedUsd: round((baseline - actual) * USD_PER_TOKEN, 6),
          createdAt: calledAt,
        });
      }
    } else if (type === 'input_split') {
      baseline = r.int(20_000, 200_000);
      actual = Math.round(baseline * r.between(0.5, 0.85));
    } else {
      baseline = r.int(10_000, 120_000);
      actual = Math.round(baseline * r.between(0.2, 0.6));
      if (matched.length > 0 && r.chance(0.5)) patternIndex = r.pick(matched);
    }
    if (note === null && r.chance(0.06)) note = r.pick(NOTE_TEXTS);
    const saved = baseline - actual;
    return {
      optimizationType: type,
      workflowId,
      toolCallId,
      patternIndex,
      baselineTokens: baseline,
      actualTokens: actual,
      tokensSaved: saved,
      costSavedUsd: round(saved * USD_PER_TOKEN, 6),
      savedAt,
      notes: note,
    };
  }
}

const typeWeights: [OptimizationType, number][] = [
  ['pattern_offload', 40],
  ['tool_call', 30],
  ['input_split', 18],
  ['inverted_flow', 12],
];
const typePicker = new WeightedPicker(typeWeights.map(([, w]) => w));
function pickType(r: Random): OptimizationType {
  return (typeWeights[typePicker.pick(r)] as [OptimizationType, number])[0];
}

function similarity(r: Random): number {
  // Mostly 0.7–1.0, skewed high; a tail of weak matches.
  return r.chance(0.9)
    ? round(0.7 + 0.3 * Math.pow(r.next(), 0.6), 4)
    : round(r.between(0.3, 0.7), 4);
}

function characteristics(r: Random): string | null {
  if (r.chance(0.005)) return null;
  const json = JSON.stringify({
    input_length: r.int(0, 4_000),
    keywords: r.shuffle(KEYWORDS).slice(0, r.int(0, 4)),
    files_mentioned: r.shuffle(FILES).slice(0, r.int(0, 3)),
    duration_range: r.pick(['short', 'medium', 'long']),
    complexity: r.pick(['simple', 'moderate', 'complex']),
    error_count: r.chance(0.8) ? 0 : r.int(1, 5),
  });
  // Real databases hold truncated JSON written by an older writer.
  return r.chance(0.003) ? json.slice(0, Math.floor(json.length / 2)) : json;
}

function harmonic(n: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / Math.pow(i, 1.1);
  return sum;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
