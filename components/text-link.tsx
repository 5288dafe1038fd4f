import Link from 'next/link';
import type { ComponentProps } from 'react';

/** A link in text or a table, in the one link style. */
export function TextLink({ className, ...props }: ComponentProps<typeof Link>) {
  return <Link {...props} className={className ? `text-link ${className}` : 'text-link'} />;
}
