/**
 * What alerts and reports say, decided once when the message is queued (the outbox keeps it), and
 * how each channel kind carries it: a signed JSON body, a Slack-compatible body, or a mail.
 */
import { METRIC_LABELS, WINDOW_LABELS, type AlertMetric, type AlertState } from './alerts/metrics';

export type AlertMessage = {
  subject: string;
  text: string;
  /** The structured facts, sent as the webhook's JSON body. */
  data: Record<string, unknown>;
};

export type StateChange = {
  rule: {
    id: number;
    name: string;
    metric: AlertMetric;
    windowMinutes: number;
    compare: 'value' | 'change';
    direction: 'above' | 'below';
  };
  from: AlertState;
  to: AlertState;
  value: number | null;
  threshold: number | null;
  at: Date;
  /** The rule's page, when the server knows its own address. */
  link: string | null;
};

const number = (value: number | null) =>
  value === null
    ? 'no data'
    : Math.abs(value) >= 100
      ? value.toLocaleString('en-US', { maximumFractionDigits: 0 })
      : value.toLocaleString('en-US', { maximumFractionDigits: 4 });

/** The value as the rule reads it: "USD saved over 24 hours = 12.5" or "… changed −40 %". */
export function describeValue(rule: StateChange['rule'], value: number | null): string {
  const what = `${METRIC_LABELS[rule.metric]}${WINDOW_LABELS[rule.windowMinutes] && !['quality', 'not_seen'].includes(rule.metric) ? ` over ${WINDOW_LABELS[rule.windowMinutes]}` : ''}`;
  return rule.compare === 'change'
    ? `${what} changed ${value === null ? 'by an unknown amount' : `${value >= 0 ? '+' : ''}${number(value)} %`} against the window before`
    : `${what} = ${number(value)}`;
}

export function stateChangeMessage(change: StateChange): AlertMessage {
  const resolved = change.to === 'ok';
  const headline = resolved
    ? `Resolved: ${change.rule.name}`
    : `${change.to === 'critical' ? 'Critical' : 'Warning'}: ${change.rule.name}`;
  const lines = [
    headline,
    describeValue(change.rule, change.value),
    resolved
      ? `Back within its thresholds (was ${change.from}).`
      : `It is ${change.rule.direction} the ${change.to} threshold ${number(change.threshold)}${change.rule.compare === 'change' ? ' %' : ''}.`,
    `At ${change.at.toISOString()}.`,
    ...(change.link ? [change.link] : []),
  ];
  return {
    subject: `[Pattern Ledger] ${headline}`,
    text: lines.join('\n'),
    data: {
      type: resolved ? 'alert.resolved' : 'alert.firing',
      rule: { id: change.rule.id, name: change.rule.name, metric: change.rule.metric },
      from: change.from,
      state: change.to,
      value: change.value,
      threshold: change.threshold,
      at: change.at.toISOString(),
      link: change.link,
    },
  };
}

export function testMessage(channelName: string, at: Date): AlertMessage {
  return {
    subject: '[Pattern Ledger] Test message',
    text: `A test from Pattern Ledger to the channel “${channelName}”. If you read this, it works.`,
    data: { type: 'test', channel: channelName, at: at.toISOString() },
  };
}

/** The webhook body: the message's facts with its text, or Slack's `{ text }`. */
export function webhookBody(message: AlertMessage, format: 'json' | 'slack', id: number): string {
  return JSON.stringify(
    format === 'slack'
      ? { text: message.text }
      : { id, ...message.data, subject: message.subject, text: message.text },
  );
}

/** A report's figures, as the digest and the download print them. */
export type ReportSummary = {
  title: string;
  period: { start: string; end: string; tz: string };
  figures: { label: string; value: string; change: string }[];
  sections: { title: string; lines: string[] }[];
  link: string | null;
};

/** The report as plain text (the mail's body, the download, the webhook's `text`). */
export function reportText(report: ReportSummary): string {
  const lastDay = report.period.end;
  const lines = [
    report.title,
    `${report.period.start} to ${lastDay} (exclusive), ${report.period.tz}`,
    '',
    ...report.figures.map((f) => `${f.label}: ${f.value} (${f.change})`),
  ];
  for (const section of report.sections) {
    lines.push('', `${section.title}:`);
    lines.push(...(section.lines.length > 0 ? section.lines.map((l) => `- ${l}`) : ['- none']));
  }
  if (report.link) lines.push('', report.link);
  return lines.join('\n');
}

export function reportMessage(report: ReportSummary): AlertMessage {
  return {
    subject: `[Pattern Ledger] ${report.title}`,
    text: reportText(report),
    data: { type: 'report', ...report },
  };
}
