"use client";

import { useEffect, useRef, useState } from "react";
import { plural } from "@/lib/text";
import { secondaryButtonClass } from "./ui";

/**
 * A list's bulk buttons with a select-all box: disabled until something is checked, and
 * each says how many items it affects. Reads the checkboxes named `name` in its form.
 */
export function BulkActions({ name, noun, actions }: { name: string; noun: string; actions: { value: string; label: string }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(0);
  const [all, setAll] = useState(false);

  useEffect(() => {
    const form = ref.current?.closest("form");
    if (!form) return;
    const boxes = () => [...form.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`)];
    const count = () => {
      const checked = boxes().filter((box) => box.checked).length;
      setSelected(checked);
      setAll(checked > 0 && checked === boxes().length);
    };
    count();
    form.addEventListener("change", count);
    return () => form.removeEventListener("change", count);
  }, [name]);

  function toggleAll(checked: boolean) {
    const form = ref.current?.closest("form");
    form?.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`).forEach((box) => (box.checked = checked));
    setSelected(checked ? (form?.querySelectorAll(`input[type=checkbox][name="${name}"]`).length ?? 0) : 0);
    setAll(checked);
  }

  return (
    <div ref={ref} className="flex flex-wrap items-center gap-2" data-testid="bulk-actions">
      <label className="mr-2 flex items-center gap-1.5 text-slate-600">
        <input type="checkbox" checked={all} onChange={(event) => toggleAll(event.currentTarget.checked)} />
        All on this page
      </label>
      <span className="text-slate-500" aria-live="polite" data-testid="bulk-selection">
        {selected === 0 ? `Select ${noun}s to act on them` : `${plural(selected, noun)} selected:`}
      </span>
      {actions.map((a) => (
        <button key={a.value} type="submit" name="action" value={a.value} disabled={selected === 0} className={secondaryButtonClass}>
          {selected === 0 ? a.label : `${a.label} ${selected}`}
        </button>
      ))}
    </div>
  );
}
