"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { buttonClass, inputClass, secondaryButtonClass } from "@/components/ui";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an account.",
  TooManyAttempts: "Too many failed attempts for this email; try again in 15 minutes.",
  GitHubEmail: "Your GitHub account has no public email address.",
  GitHubNotInvited: "Your GitHub account is not a member of this workspace yet; ask an admin to add your email.",
  GitHubAccount: "That email is linked to another GitHub account.",
};

export function SignInForm({ callbackUrl, github, initialError }: { callbackUrl: string; github: boolean; initialError: string | null }) {
  const [error, setError] = useState(initialError ? (MESSAGES[initialError] ?? "Sign-in failed.") : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(MESSAGES[result?.error ?? ""] ?? "Sign-in failed.");
  }

  return (
    <div className="mt-6 space-y-4">
      <form onSubmit={onSubmit} className="space-y-3">
        <label className="block text-sm font-medium">
          Email
          <input name="email" type="email" autoComplete="username" required className={`mt-1 ${inputClass}`} />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input name="password" type="password" autoComplete="current-password" required className={`mt-1 ${inputClass}`} />
        </label>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className={`${buttonClass} w-full justify-center`}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {github ? (
        <button type="button" onClick={() => signIn("github", { callbackUrl })} className={`${secondaryButtonClass} w-full justify-center`}>
          Sign in with GitHub
        </button>
      ) : null}
    </div>
  );
}
