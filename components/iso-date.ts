/**
 * The attributes of a date field: ISO dates (YYYY-MM-DD), as every date in the app is written. A
 * native date input shows the browser's locale instead (12/05/2026).
 */
export const ISO_DATE_INPUT = {
  type: 'text',
  inputMode: 'numeric',
  pattern: '\\d{4}-\\d{2}-\\d{2}',
  placeholder: 'YYYY-MM-DD',
  title: 'A date as YYYY-MM-DD',
} as const;
