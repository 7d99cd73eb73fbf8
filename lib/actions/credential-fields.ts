import { field } from "@/lib/http/action";
import { credentialFromFields } from "@/lib/repositories/credentials";

/** The credential fields of a form (components/credential-fields.tsx), shared by the add-repository and credential forms. */
export function credentialFieldsOf(form: FormData): unknown {
  return credentialFromFields({
    kind: field(form, "credentialKind"),
    username: field(form, "username"),
    token: field(form, "token"),
    privateKey: field(form, "privateKey"),
    knownHosts: field(form, "knownHosts"),
  });
}
