// Configured actions (BLOCK / ANONYMIZE / NONE) as assessments report them (BLOCKED / ANONYMIZED / NONE).
export const blockAction = (configured: string): "BLOCKED" | "NONE" => (configured === "BLOCK" ? "BLOCKED" : "NONE");

export function sensitiveAction(configured: string): "BLOCKED" | "ANONYMIZED" | "NONE" {
  return configured === "BLOCK" ? "BLOCKED" : configured === "ANONYMIZE" ? "ANONYMIZED" : "NONE";
}
