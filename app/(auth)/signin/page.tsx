import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { githubEnabled } from "@/lib/auth/options";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in" };

/**
 * Only a path on this site: an open redirect after sign-in would be a phishing aid. Parsing
 * against a dummy origin catches "//evil", "/\\evil" and other tricks browsers resolve away.
 */
function sameSitePath(callbackUrl: string | undefined): string {
  if (!callbackUrl) return "/";
  try {
    const url = new URL(callbackUrl, "http://specledger.invalid");
    return url.origin === "http://specledger.invalid" ? url.pathname + url.search + url.hash : "/";
  } catch {
    return "/";
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = sameSitePath(callbackUrl);
  if (await getCurrentUser()) redirect(target);
  return (
    <div className="flex min-h-screen items-center justify-center bg-slate-900 px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl">
        <h1 className="text-xl font-semibold">
          Sign in to Spec<span className="text-sky-700">ledger</span>
        </h1>
        <p className="mt-1 text-sm text-slate-600">The system of record for specs and agent instructions.</p>
        <SignInForm callbackUrl={target} github={githubEnabled} initialError={error ?? null} />
      </div>
    </div>
  );
}
