"use client";

/** A checkbox that checks or clears every checkbox named `name` in its form. */
export function SelectAll({ name }: { name: string }) {
  return (
    <label className="mr-2 flex items-center gap-1.5 text-slate-600">
      <input
        type="checkbox"
        onChange={(event) => {
          const form = event.currentTarget.form;
          form?.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`).forEach((box) => (box.checked = event.currentTarget.checked));
        }}
      />
      All on this page
    </label>
  );
}
