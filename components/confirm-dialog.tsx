"use client";

import { useId, type KeyboardEvent, type ReactNode } from "react";
import { secondaryButtonClass } from "./ui";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Tab and Shift+Tab wrap around inside `dialog`. A modal <dialog> already makes the page
 * behind it inert, but from its last control Chromium hands focus to the browser's own UI.
 */
export function wrapFocus(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== "Tab") return;
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((item) => item.offsetParent !== null);
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !event.currentTarget.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !event.currentTarget.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * A button that opens a modal confirmation. The native <dialog> with showModal() moves focus
 * in, makes the page behind inert, closes on Escape and gives focus back to the opener;
 * `children` gets `close` to call once the confirmed action succeeded.
 */
export function ConfirmDialog({
  label,
  name,
  title,
  description,
  buttonClassName = secondaryButtonClass,
  children,
}: {
  label: string;
  /** The opener's accessible name, when `label` alone is ambiguous in a list ("Revoke" → "Revoke payments CI"). */
  name?: string;
  title: string;
  description?: ReactNode;
  buttonClassName?: string;
  children: (close: () => void) => ReactNode;
}) {
  const id = useId();
  const titleId = `${id}-title`;
  // Found by id when called, not held in a ref: `children` may keep `close` to call after an action.
  const dialog = () => document.getElementById(id) as HTMLDialogElement | null;
  const close = () => dialog()?.close();
  return (
    <>
      <button id={`${id}-opener`} type="button" aria-haspopup="dialog" aria-label={name} onClick={() => dialog()?.showModal()} className={buttonClassName}>
        {label}
      </button>
      <dialog
        id={id}
        aria-labelledby={titleId}
        onKeyDown={wrapFocus}
        // Chromium gives focus back to the opener itself; this covers browsers that leave it on <body>.
        onClose={() => {
          if (document.activeElement === document.body) document.getElementById(`${id}-opener`)?.focus();
        }}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg text-left border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        {description ? <div className="mt-1 text-sm text-slate-600">{description}</div> : null}
        <div className="mt-4 space-y-3">{children(close)}</div>
        <div className="mt-4 flex justify-end">
          <button type="button" onClick={close} className={secondaryButtonClass}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
