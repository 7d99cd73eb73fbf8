"use client";

import { startTransition, useEffect, useRef, type FormEvent } from "react";

/**
 * Props for a `<form>` posting to a `useActionState` action, so that a refused submit keeps what
 * the user typed: React 19 resets a form after its `action` runs, whatever the outcome. Submitting
 * through `onSubmit` + `startTransition` skips that reset; the form is reset here only when the
 * action succeeded (no `error`), as before. A second submit before the first has finished is dropped
 * (React disables the buttons only once it re-renders with `pending`, and a double click lands
 * before that). `check` may refuse a submit on the client by returning false.
 */
export function useKeptForm<S extends { error?: string | null }>(
  state: S,
  dispatch: (form: FormData) => void,
  pending: boolean,
  check?: (event: FormEvent<HTMLFormElement>) => boolean,
) {
  const ref = useRef<HTMLFormElement>(null);
  const submitting = useRef(false);
  const seen = useRef(state);
  useEffect(() => {
    if (pending) return;
    // The action has answered (or ended without an answer, e.g. a redirect): the next submit goes through.
    submitting.current = false;
    if (state === seen.current) return;
    seen.current = state;
    if (!state.error) ref.current?.reset();
  }, [pending, state]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting.current) return;
    if (check && !check(event)) return;
    submitting.current = true;
    // The submitter's name and value (e.g. which decision button) travel with the form, as with `action`.
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  }

  // `action` stays on the form so that a submit before hydration still reaches the server action.
  return { ref, action: dispatch, onSubmit };
}
