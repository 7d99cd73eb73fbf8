"use client";

import { useState } from "react";
import { inputClass } from "./ui";

/**
 * The inputs of a repository credential: an https token (user name optional) or an SSH deploy
 * key with the server's host keys. `only` fixes the kind when the source already decides it.
 */
export function CredentialFields({ only, optional = false }: { only?: "https" | "ssh"; optional?: boolean }) {
  const [kind, setKind] = useState<string>(only ?? "");
  return (
    <div className="space-y-2 text-sm">
      {only ? (
        <input type="hidden" name="credentialKind" value={only} />
      ) : (
        <label className="block font-medium">
          Credential {optional ? <span className="font-normal text-slate-500">(for a private repository)</span> : null}
          <select name="credentialKind" value={kind} onChange={(e) => setKind(e.target.value)} className={`mt-1 w-auto ${inputClass}`}>
            <option value="">None</option>
            <option value="https">HTTPS token</option>
            <option value="ssh">SSH deploy key</option>
          </select>
        </label>
      )}
      {kind === "https" ? (
        <div className="grid gap-2 md:grid-cols-2">
          <label className="block font-medium">
            User name <span className="font-normal text-slate-500">(optional)</span>
            <input name="username" autoComplete="off" placeholder="x-access-token" className={`mt-1 ${inputClass}`} />
          </label>
          <label className="block font-medium">
            Token
            <input name="token" type="password" autoComplete="off" required className={`mt-1 ${inputClass}`} />
          </label>
        </div>
      ) : null}
      {kind === "ssh" ? (
        <div className="grid gap-2 md:grid-cols-2">
          <label className="block font-medium">
            Private deploy key <span className="font-normal text-slate-500">(OpenSSH or PEM, no passphrase)</span>
            <textarea
              name="privateKey"
              required
              rows={5}
              spellCheck={false}
              autoComplete="off"
              placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              className={`mt-1 font-mono text-xs ${inputClass}`}
            />
          </label>
          <label className="block font-medium">
            Server host key <span className="font-normal text-slate-500">(known_hosts lines: ssh-keyscan &lt;host&gt;)</span>
            <textarea
              name="knownHosts"
              required
              rows={5}
              spellCheck={false}
              placeholder="git.example.com ssh-ed25519 AAAA…"
              className={`mt-1 font-mono text-xs ${inputClass}`}
            />
          </label>
        </div>
      ) : null}
    </div>
  );
}
