import { Badge } from "./ui";

/**
 * Marks a version whose author is only claimed ("unverified author") or vouched for by a
 * trusted signature ("signed"); the title says why (decision 014).
 */
export function AuthorBadge({ verification }: { verification: { verified: boolean; title: string } }) {
  return (
    <span data-testid="author-verification">
      {verification.verified ? (
        <Badge tone="green" title={verification.title}>
          signed
        </Badge>
      ) : (
        <Badge tone="amber" title={verification.title}>
          unverified author
        </Badge>
      )}
    </span>
  );
}
