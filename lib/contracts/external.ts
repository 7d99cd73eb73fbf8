import fs from "node:fs";
import path from "node:path";

// The external labelled set: oasdiff's own test pairs, labelled from oasdiff's rule levels
// (lib/contracts/external/oasdiff/README.md). Read by the contracts benchmark and its test.

export interface ExternalPair {
  name: string;
  breaking: boolean;
  /** oasdiff's level for the rules its test expects: ERR, INFO, or none expected. */
  level: string;
  rules: string[];
  base: string;
  revision: string;
}

const folder = path.join(import.meta.dirname, "external", "oasdiff");

export function externalPairs(): ExternalPair[] {
  const index = JSON.parse(fs.readFileSync(path.join(folder, "pairs.json"), "utf8")) as {
    base: string;
    revision: string;
    breaking: boolean;
    level: string;
    rules: string[];
  }[];
  const read = (file: string) => fs.readFileSync(path.join(folder, "data", file), "utf8");
  return index.map((p) => ({
    name: `${p.base} → ${p.revision}`,
    breaking: p.breaking,
    level: p.level,
    rules: p.rules,
    base: read(p.base),
    revision: read(p.revision),
  }));
}

const SINGLE_CHECKER = "oasdiff's test runs one checker; the pair also";

/**
 * Where Specledger's answer differs from the label, and why, reviewed pair by pair. A new
 * disagreement fails the test until someone judges it and adds it here (or fixes the rule).
 */
export const KNOWN_DISAGREEMENTS: Record<string, string> = {
  "api_security_global_added_base.yaml → api_security_global_added_revision.yaml":
    "oasdiff rates a new security requirement INFO; a client without the credential is refused, so Specledger rates it breaking (decision 032).",
  "api_security_added_base.yaml → api_security_added_revision.yaml":
    "oasdiff rates a new security requirement INFO; a client without the credential is refused, so Specledger rates it breaking (decision 032).",
  "api_security_updated_revision.yaml → api_security_updated_base.yaml":
    "oasdiff rates a new required scope INFO; a token without the scope is refused, so Specledger rates it breaking.",
  "request_property_discriminator_added_revision.yaml → request_property_discriminator_added_property_name_changed.yaml": `${SINGLE_CHECKER} renames the request properties themselves (petType → petType2), which clients still send.`,
  "response_property_discriminator_added_revision.yaml → response_property_discriminator_added_property_name_changed.yaml": `${SINGLE_CHECKER} renames the response properties themselves (petType → petType2), which clients still read.`,
  "request_body_default_value_changed_base.yaml → request_body_default_value_changed_revision.yaml": `${SINGLE_CHECKER} removes the application/json request media type.`,
  "common_request_parameter_max_items_updated_revision.yaml → common_request_parameter_max_items_updated_base.yaml":
    "oasdiff reports this smaller maxItems of a path-level parameter only with --flatten-params (its next test says breaking); requests that were valid are refused.",
  "request_param_multitype_to_array_31_base.yaml → request_param_multitype_to_array_31_revision.yaml":
    "In a query string one value is also a one-item array (oasdiff's 'generalized'); Specledger does not model parameter serialization and judges the type change.",
  "request_xml_type_compatible_base.yaml → request_xml_type_compatible_revision.yaml":
    "oasdiff treats object → string as compatible for an XML body; Specledger does not read XML mappings and judges the schema's type change.",
  "response_xml_type_compatible_base.yaml → response_xml_type_compatible_revision.yaml":
    "oasdiff treats object → string as compatible for an XML body; Specledger does not read XML mappings and judges the schema's type change.",
  "response_property_all_of_removed_base.yaml → response_property_all_of_removed_revision.yaml":
    "Removing an allOf part lets a response carry values it could not before; oasdiff rates it INFO, Specledger reads responses as what clients must handle.",
  "response_property_any_of_added_base.yaml → response_property_any_of_added_revision.yaml":
    "A response that may carry a new anyOf alternative breaks clients that handle the known ones (issue 14); oasdiff rates it INFO.",
  "webhook_operation_base.yaml → webhook_operation_revision.yaml":
    "Specledger reads a webhook's payload as what its consumers receive (a response), so a payload made required does not break them; oasdiff reads it as a request.",
};
