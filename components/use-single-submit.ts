"use client";

import { useEffect, useRef, type FormEvent } from "react";

/**
 * A form's onSubmit that drops a second submit until the first has finished: React disables
 * the buttons only once it re-renders with `pending`, and a double click lands before that.
 */
export function useSingleSubmit(pending: boolean) {
  const submitting = useRef(false);
  useEffect(() => {
    if (!pending) submitting.current = false;
  }, [pending]);
  return (event: FormEvent<HTMLFormElement>) => {
    if (submitting.current) event.preventDefault();
    else submitting.current = true;
  };
}
