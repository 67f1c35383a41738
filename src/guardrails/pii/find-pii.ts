// Finds the configured PII entity types in one text: every detector of those types, then overlaps resolved
// by the detectors' priority order (see pii-detectors.ts), so each character belongs to at most one entity
// and anonymisation can replace spans without ambiguity.
import type { GuardrailPiiEntityType } from "../../core/control-plane-shapes.generated.js";
import { isWordCode } from "../text/phrase-matcher.js";
import { findNames } from "./find-names.js";
import { PII_DETECTORS, type PiiDetector } from "./pii-detectors.js";

export interface PiiFinding {
  readonly type: GuardrailPiiEntityType;
  readonly match: string;
  readonly start: number;
  readonly end: number;
  readonly confidence: number;
}

interface Candidate extends PiiFinding { readonly priority: number }

const NAME_PRIORITY = PII_DETECTORS.length;

/** Types this engine can find (all of the model's enum); used to document and to test coverage. */
export const DETECTABLE_TYPES: ReadonlySet<string> = new Set([...PII_DETECTORS.map((d) => d.type), "NAME"]);

/** Findings per text at most (and matches per detector): a text of a million e-mails makes no million entries. */
export const MAX_FINDINGS = 1000;

function candidatesOf(detector: PiiDetector, priority: number, text: string, out: Candidate[]): void {
  if (detector.needs && !detector.needs.test(text)) return;
  for (const m of detector.pattern.matches(text, MAX_FINDINGS + 1)) {
    let start = m.index;
    let entity = m.text;
    const group = m.groups[0];
    if (group !== undefined) {
      start = detector.groupAt === "start" ? m.index : m.end - group.length;
      entity = group;
    }
    if (detector.trim) entity = entity.replace(detector.trim, "");
    if (!entity) continue;
    const end = start + entity.length;
    // An entity glued to more letters or digits is part of something longer (a 20-digit number is no card).
    if (start > 0 && isWordCode(text.charCodeAt(start - 1)) && isWordCode(text.charCodeAt(start))) continue;
    if (end < text.length && isWordCode(text.charCodeAt(end)) && isWordCode(text.charCodeAt(end - 1))) continue;
    if (detector.valid && !detector.valid(entity, text, start, end)) continue;
    out.push({ type: detector.type, match: entity, start, end, confidence: detector.confidence, priority });
  }
}

/** Entities of the given types in `text`, in text order, non-overlapping, at most MAX_FINDINGS. */
export function findPii(text: string, types: ReadonlySet<GuardrailPiiEntityType>): PiiFinding[] {
  return findPiiCapped(text, types).findings;
}

/** findPii, saying whether findings beyond MAX_FINDINGS were left out. */
export function findPiiCapped(text: string, types: ReadonlySet<GuardrailPiiEntityType>): { findings: PiiFinding[]; truncated: boolean } {
  if (types.size === 0 || text.length === 0) return { findings: [], truncated: false };
  const candidates: Candidate[] = [];
  PII_DETECTORS.forEach((detector, priority) => {
    if (types.has(detector.type)) candidatesOf(detector, priority, text, candidates);
  });
  if (types.has("NAME")) {
    for (const s of findNames(text)) {
      candidates.push({ type: "NAME", match: text.slice(s.start, s.end), start: s.start, end: s.end, confidence: 0.85, priority: NAME_PRIORITY });
    }
  }
  const resolved = resolveOverlaps(candidates).map(({ priority: _p, ...finding }) => finding);
  return { findings: resolved.slice(0, MAX_FINDINGS), truncated: resolved.length > MAX_FINDINGS };
}

/** Keeps the highest-priority (then earliest, then longest) candidate wherever candidates overlap. */
export function resolveOverlaps<T extends { start: number; end: number; priority: number }>(candidates: T[]): T[] {
  const ordered = [...candidates].sort((a, b) => a.priority - b.priority || a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  for (const c of ordered) {
    if (kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}
