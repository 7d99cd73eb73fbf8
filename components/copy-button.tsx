"use client";

import { useState } from "react";
import { secondaryButtonClass } from "./ui";

/** Copies `text` to the clipboard and says whether it worked (the clipboard needs a secure context). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        className={secondaryButtonClass}
        aria-label={label}
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setState("copied"),
            () => setState("failed"),
          )
        }
      >
        Copy
      </button>
      <span aria-live="polite" className="text-xs text-slate-600">
        {state === "copied" ? "Copied." : state === "failed" ? "Copying was refused: select the text and copy it yourself." : ""}
      </span>
    </span>
  );
}
