'use client';

import { useState } from 'react';

/** Copies `text` to the clipboard, and says so. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <button
      type="button"
      className="button-outline ml-2 px-2 py-0.5 text-xs"
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied('yes'),
          () => setCopied('no'),
        );
      }}
    >
      {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Select and copy it' : label}
    </button>
  );
}
