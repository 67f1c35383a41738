// topicPolicyConfig: denied topics. The classifier scores each enabled topic (0–1); from 0.5 up the topic is
// detected, and its action for this source decides whether detection blocks.
import type { GuardrailTopicPolicyConfig } from "../../core/control-plane-shapes.generated.js";
import type { GuardrailTopic, GuardrailTopicPolicyAssessment } from "../../core/shapes.generated.js";
import type { TopicSpec } from "../classifier/classifier.js";
import { TOPIC_THRESHOLD } from "../classifier/confidence.js";
import { settingFor, type GuardrailSource, type GuardrailTopicConfig } from "../guardrail-definition.js";
import { blockAction } from "./actions.js";

export interface ActiveTopic { readonly config: GuardrailTopicConfig; readonly action: string }

export function activeTopics(config: GuardrailTopicPolicyConfig | undefined, source: GuardrailSource): ActiveTopic[] {
  const active: ActiveTopic[] = [];
  for (const t of config?.topicsConfig ?? []) {
    const setting = settingFor(t, source, "BLOCK");
    if (setting.enabled) active.push({ config: t, action: setting.action });
  }
  return active;
}

/** The topic configs themselves serve as TopicSpecs (their identity keys the classifier's compiled cache). */
export const topicSpecs = (topics: readonly ActiveTopic[]): TopicSpec[] => topics.map((t) => t.config);

export interface TopicPolicyResult { readonly blocked: boolean; readonly assessment?: GuardrailTopicPolicyAssessment }

const NOT_BLOCKED: TopicPolicyResult = Object.freeze({ blocked: false, assessment: undefined });

export function topicPolicyAssessment(topics: readonly ActiveTopic[], scores: Readonly<Record<string, number>>, full: boolean): TopicPolicyResult {
  if (topics.length === 0) return NOT_BLOCKED;
  const entries: GuardrailTopic[] = [];
  let blocked = false;
  for (const t of topics) {
    const detected = (scores[t.config.name] ?? 0) >= TOPIC_THRESHOLD;
    if (!detected && !full) continue;
    const action = detected ? blockAction(t.action) : "NONE";
    if (action === "BLOCKED") blocked = true;
    entries.push({ name: t.config.name, type: "DENY", action, detected });
  }
  return { blocked, assessment: entries.length ? { topics: entries } : undefined };
}
