export const ACTION_BODY_LIMIT: number;
export const ACTION_BODY_TOO_LARGE: string;
export function declaredTooLarge(contentLength: string | null | undefined, limit: number): boolean;
