/** The columns of each CSV export: the table's columns, with raw numbers and UTC ISO times. */
import type { CsvColumn } from './csv';

type Row = Record<string, unknown>;

export const LEADERBOARD_COLUMNS: CsvColumn<Row>[] = [
  { header: 'rank', key: 'rank', kind: 'number' },
  { header: 'pattern_id', key: 'id', kind: 'number' },
  { header: 'signature', key: 'signature', kind: 'text' },
  { header: 'pattern_type', key: 'type', kind: 'text' },
  { header: 'automation_status', key: 'status', kind: 'text' },
  { header: 'occurrences', key: 'occurrences', kind: 'number' },
  // Ratios the page shows as percentages with one decimal (4.5 %): two digits more than that.
  { header: 'share', key: 'share', kind: 'number', places: 5 },
  { header: 'avg_similarity', key: 'avgSimilarity', kind: 'number', places: 5 },
  { header: 'min_similarity', key: 'minSimilarity', kind: 'real' },
  { header: 'workflows', key: 'workflows', kind: 'number' },
  { header: 'last_seen_utc', key: 'lastSeen', kind: 'time' },
  { header: 'stored_occurrence_count', key: 'storedCount', kind: 'number' },
  { header: 'stored_last_seen_utc', key: 'storedLastSeen', kind: 'time' },
  { header: 'tokens_saved', key: 'tokensSaved', kind: 'number' },
  { header: 'usd_saved', key: 'usdSaved', kind: 'number' },
  { header: 'estimated_monthly_usd', key: 'estimatedMonthly', kind: 'number' },
  { header: 'actual_monthly_usd', key: 'actualMonthly', kind: 'number' },
  // Shown as a whole percentage.
  { header: 'actual_to_estimate', key: 'roi', kind: 'number', places: 4 },
];

export const SAVINGS_COLUMNS: CsvColumn<Row>[] = [
  { header: 'id', key: 'id', kind: 'number' },
  { header: 'saved_at_utc', key: 'savedAt', kind: 'time' },
  { header: 'optimization_type', key: 'type', kind: 'text' },
  { header: 'workflow_id', key: 'workflowId', kind: 'text' },
  { header: 'pattern_id', key: 'patternId', kind: 'number' },
  { header: 'pattern_signature', key: 'signature', kind: 'text' },
  { header: 'tool_call_id', key: 'toolCallId', kind: 'text' },
  { header: 'baseline_tokens', key: 'baseline', kind: 'number' },
  { header: 'actual_tokens', key: 'actual', kind: 'number' },
  { header: 'tokens_saved', key: 'tokensSaved', kind: 'number' },
  { header: 'cost_saved_usd', key: 'usdExact', kind: 'decimal' },
  { header: 'notes', key: 'notes', kind: 'text' },
];

export const OCCURRENCE_COLUMNS: CsvColumn<Row>[] = [
  { header: 'id', key: 'id', kind: 'number' },
  { header: 'detected_at_utc', key: 'detectedAt', kind: 'time' },
  { header: 'workflow_id', key: 'workflowId', kind: 'text' },
  { header: 'similarity', key: 'similarity', kind: 'real' },
  { header: 'matched_characteristics', key: 'matchedCharacteristics', kind: 'text' },
];

export const WORKFLOW_COLUMNS: CsvColumn<Row>[] = [
  { header: 'workflow_id', key: 'workflowId', kind: 'text' },
  { header: 'adw_id', key: 'adwId', kind: 'text' },
  { header: 'status', key: 'status', kind: 'text' },
  { header: 'template', key: 'template', kind: 'text' },
  { header: 'issue_number', key: 'issueNumber', kind: 'number' },
  { header: 'occurrences', key: 'occurrences', kind: 'number' },
  { header: 'patterns', key: 'patterns', kind: 'number' },
  { header: 'savings_entries', key: 'entries', kind: 'number' },
  { header: 'tokens_saved', key: 'tokens', kind: 'number' },
  { header: 'usd_saved', key: 'usdExact', kind: 'decimal' },
  { header: 'last_activity_utc', key: 'lastActivity', kind: 'time' },
];

export const BREAKDOWN_COLUMNS: CsvColumn<Row>[] = [
  { header: 'bucket_start_utc', key: 'bucketStart', kind: 'time' },
  { header: 'group', key: 'group', kind: 'text' },
  { header: 'value', key: 'value', kind: 'number' },
];
