// The guardrails policy: Converse and ConverseStream calls with a `guardrailConfig` (InvokeModel's guardrail
// headers arrive here as one too) have their input assessed before the model is called — a block answers
// with the guardrail's blocked input messaging, stopReason guardrail_intervened and no model call; masked
// input reaches the model masked — and their answer assessed after: blocked (the blocked outputs messaging)
// or masked. With `trace` on, `trace.guardrail` says what was found. The call record carries the action.
// Streams: `sync` (the default) holds the answer until it is assessed; `async` passes it through and
// intervenes at the end (messageStop says guardrail_intervened; masking is not applied, as on Bedrock).
// A model relayed byte for byte to a Bedrock upstream keeps its relay: the upstream applies guardrails itself.
// A model configured with a default `guardrailConfig` has it applied to every call that brings none, whichever
// front door the call came through.
import { validationError } from "../../../core/errors.js";
import type { ModelMiddleware } from "../../../core/model-middleware.js";
import { latencyMs, type CallContext, type ConverseInput, type ConverseOutput, type Model, type StreamEvent } from "../../../core/model.js";
import { eventsAsStream, outputAsStream, outputBlocks } from "../../../core/output-as-stream.js";
import { watchStream } from "../../../core/watch-stream.js";
import type {
  ContentBlock, CountTokensInput, GuardrailContentBlock, GuardrailStreamConfiguration, TokenUsage,
} from "../../../core/shapes.generated.js";
import { groundingReferences, guardedInput, withMaskedInput, type GuardedInput } from "../../../guardrails/converse-guard-content.js";
import { evaluateGuardrail, type GuardrailEvaluation } from "../../../guardrails/evaluate-guardrail.js";
import type { GuardrailService, ResolvedGuardrail } from "../../../guardrails/guardrail-service.js";
import { blockedInputOutput, guardrailTrace, traceOn } from "./guardrail-trace.js";

export const UNKNOWN_GUARDRAIL = "The guardrail identifier or version provided in the request does not exist.";

export function guardrailsPolicy(service: GuardrailService, defaults?: GuardrailStreamConfiguration): ModelMiddleware {
  const guardrails = (inner: Model): Model => new GuardedModel(inner, service, defaults);
  return Object.assign(guardrails, { handlesRelay: true as const });
}

/** A request whose input has been assessed and let through (possibly masked). */
interface Admitted {
  readonly kind: "admitted";
  readonly guardrail: ResolvedGuardrail;
  readonly config: GuardrailStreamConfiguration;
  readonly guarded: GuardedInput;
  readonly inputEvaluation: GuardrailEvaluation;
  /** What the model gets: masked, without the guardrailConfig. */
  readonly input: ConverseInput;
}
interface Blocked { readonly kind: "blocked"; readonly output: ConverseOutput }

const INTERVENED = "GUARDRAIL_INTERVENED";

class GuardedModel implements Model {
  constructor(
    private readonly inner: Model,
    private readonly service: GuardrailService,
    private readonly defaults: GuardrailStreamConfiguration | undefined,
  ) {}

  /** The call's own guardrailConfig wins; otherwise the model's configured default, if any. */
  private withDefault(input: ConverseInput): ConverseInput {
    return input.guardrailConfig || !this.defaults ? input : { ...input, guardrailConfig: this.defaults };
  }

  get id(): string {
    return this.inner.id;
  }

  /** Relayed calls go to the Bedrock upstream as they are, guardrailConfig included. */
  get relay(): Model["relay"] {
    return this.inner.relay?.bind(this.inner);
  }

  countTokens(input: CountTokensInput, ctx: CallContext): Promise<number> {
    return this.inner.countTokens(input, ctx);
  }

  async converse(request: ConverseInput, ctx: CallContext): Promise<ConverseOutput> {
    const input = this.withDefault(request);
    if (!input.guardrailConfig) return this.inner.converse(input, ctx);
    const screened = await this.screenInput(input, ctx);
    if (screened.kind === "blocked") return screened.output;
    const output = await this.inner.converse(screened.input, ctx);
    const texts = outputBlocks(output).map((b) => ("text" in b ? b.text : undefined));
    const evaluation = await this.assessOutput(screened, texts, ctx);
    // The answer's blocks are rebuilt only when the guardrail changed something (most answers pass as they are).
    const answer: ConverseOutput = evaluation.action === INTERVENED
      ? {
        ...output,
        output: { message: { role: "assistant", content: replaceTexts(outputBlocks(output), evaluation, screened, texts) } },
        stopReason: "guardrail_intervened",
      }
      : output;
    if (traceOn(screened.config.trace)) {
      const changed = evaluation.action === INTERVENED && screened.config.trace === "enabled_full";
      answer.trace = {
        ...output.trace,
        guardrail: guardrailTrace({
          record: screened.guardrail.record, input: screened.inputEvaluation, outputs: [evaluation],
          modelOutput: changed ? texts.filter((t): t is string => t !== undefined) : undefined,
        }),
      };
    }
    return answer;
  }

  converseStream(request: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    const input = this.withDefault(request);
    // Without a guardrail the model's own stream, not a generator around it: every event would pay for one.
    return input.guardrailConfig ? this.guardedStream(input, ctx) : this.inner.converseStream(input, ctx);
  }

  /** The request screened first; then the answer's stream assessed as its mode says (no layer around that). */
  private guardedStream(input: ConverseInput, ctx: CallContext): AsyncIterable<StreamEvent> {
    return watchStream(async () => {
      const screened = await this.screenInput(input, ctx);
      if (screened.kind === "blocked") return eventsAsStream(outputAsStream(screened.output));
      const mode = screened.config.streamProcessingMode ?? "sync";
      const events = this.inner.converseStream(screened.input, ctx);
      return mode === "async" ? this.streamAsync(events, screened, ctx) : this.streamSync(events, screened, ctx);
    }, {});
  }

  /** sync: nothing reaches the client until the whole answer has been assessed. */
  private async *streamSync(events: AsyncIterable<StreamEvent>, screened: Admitted, ctx: CallContext): AsyncIterable<StreamEvent> {
    const held: StreamEvent[] = [];
    for await (const event of events) held.push(event);
    const texts = collectTexts(held);
    const evaluation = await this.assessOutput(screened, texts, ctx);
    const metadata = held.find((e) => e.metadata)?.metadata;
    const trace = this.streamTrace(screened, evaluation, texts);
    if (evaluation.blocked) {
      const def = screened.guardrail.record.definition;
      yield* outputAsStream({
        output: { message: { role: "assistant", content: [{ text: def.blockedOutputsMessaging }] } },
        stopReason: "guardrail_intervened",
        usage: metadata?.usage ?? zeroUsage(),
        metrics: { latencyMs: metadata?.metrics.latencyMs ?? latencyMs(ctx) },
        ...(trace && { trace: { guardrail: trace } }),
      });
      return;
    }
    const masked = maskedByIndex(evaluation, texts);
    const replaced = new Set<number>();
    for (const event of held) {
      const delta = event.contentBlockDelta;
      if (delta && "text" in delta.delta && masked.has(delta.contentBlockIndex)) {
        if (replaced.has(delta.contentBlockIndex)) continue;
        replaced.add(delta.contentBlockIndex);
        yield { contentBlockDelta: { contentBlockIndex: delta.contentBlockIndex, delta: { text: masked.get(delta.contentBlockIndex)! } } };
      } else if (event.messageStop && evaluation.action === INTERVENED) {
        yield { messageStop: { ...event.messageStop, stopReason: "guardrail_intervened" } };
      } else if (event.metadata && trace) {
        yield { metadata: { ...event.metadata, trace: { ...event.metadata.trace, guardrail: trace } } };
      } else yield event;
    }
  }

  /** async: the answer streams as it comes; it is assessed at the end, and a block ends it as intervened. */
  private async *streamAsync(events: AsyncIterable<StreamEvent>, screened: Admitted, ctx: CallContext): AsyncIterable<StreamEvent> {
    const texts: (string | undefined)[] = [];
    let messageStop: StreamEvent["messageStop"];
    let metadata: StreamEvent["metadata"];
    for await (const event of events) {
      const delta = event.contentBlockDelta;
      if (delta && "text" in delta.delta) texts[delta.contentBlockIndex] = (texts[delta.contentBlockIndex] ?? "") + delta.delta.text;
      if (event.messageStop) messageStop = event.messageStop;
      else if (event.metadata) metadata = event.metadata;
      else yield event;
    }
    const evaluation = await this.assessOutput(screened, texts, ctx);
    const trace = this.streamTrace(screened, evaluation, texts);
    if (messageStop) yield { messageStop: evaluation.blocked ? { ...messageStop, stopReason: "guardrail_intervened" } : messageStop };
    if (metadata) yield { metadata: trace ? { ...metadata, trace: { ...metadata.trace, guardrail: trace } } : metadata };
  }

  private streamTrace(screened: Admitted, evaluation: GuardrailEvaluation, texts: readonly (string | undefined)[]) {
    if (!traceOn(screened.config.trace)) return undefined;
    const changed = evaluation.action === INTERVENED && screened.config.trace === "enabled_full";
    return guardrailTrace({
      record: screened.guardrail.record, input: screened.inputEvaluation, outputs: [evaluation],
      modelOutput: changed ? texts.filter((t): t is string => t !== undefined) : undefined,
    });
  }

  private async screenInput(input: ConverseInput, ctx: CallContext): Promise<Admitted | Blocked> {
    const config = input.guardrailConfig as GuardrailStreamConfiguration;
    if (!config.guardrailIdentifier) throw validationError("A guardrail identifier is required when guardrailConfig is provided. Add guardrailIdentifier and try again.");
    if (!config.guardrailVersion) throw validationError("A guardrail version is required when a guardrail identifier is provided. Add guardrailVersion and try again.");
    const guardrail = await this.service.resolve(config.guardrailIdentifier, config.guardrailVersion);
    if (!guardrail) throw validationError(UNKNOWN_GUARDRAIL);
    const guarded = guardedInput(input);
    const inputEvaluation = await evaluateGuardrail(guardrail.compiled, guarded.content, {
      source: "INPUT", outputScope: config.trace === "enabled_full" ? "FULL" : "INTERVENTIONS", classifier: this.service.classifier,
    });
    ctx.record.guardrailAction = inputEvaluation.action;
    if (inputEvaluation.blocked) {
      const trace = traceOn(config.trace) ? guardrailTrace({ record: guardrail.record, input: inputEvaluation, outputs: [] }) : undefined;
      return { kind: "blocked", output: blockedInputOutput(guardrail.record.definition.blockedInputMessaging, ctx, trace) };
    }
    // The model below does not see the guardrail's configuration. Set to undefined in a spread copy rather
    // than left out by an object rest, which V8 builds through a slow runtime path on every call.
    const rest: ConverseInput = { ...withMaskedInput(input, guarded, inputEvaluation.maskedBlocks), guardrailConfig: undefined };
    return { kind: "admitted", guardrail, config, guarded, inputEvaluation, input: rest };
  }

  private async assessOutput(screened: Admitted, texts: readonly (string | undefined)[], ctx: CallContext): Promise<GuardrailEvaluation> {
    const content: GuardrailContentBlock[] = [
      ...groundingReferences(screened.guarded),
      ...texts.filter((t): t is string => t !== undefined).map((text) => ({ text: { text } })),
    ];
    const evaluation = await evaluateGuardrail(screened.guardrail.compiled, content, {
      source: "OUTPUT", outputScope: screened.config.trace === "enabled_full" ? "FULL" : "INTERVENTIONS", classifier: this.service.classifier,
    });
    if (evaluation.action === INTERVENED) ctx.record.guardrailAction = INTERVENED;
    return evaluation;
  }
}

const zeroUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

/** Texts of the answer by content-block index, from its stream events. */
function collectTexts(events: readonly StreamEvent[]): (string | undefined)[] {
  const texts: (string | undefined)[] = [];
  for (const e of events) {
    const d = e.contentBlockDelta;
    if (d && "text" in d.delta) texts[d.contentBlockIndex] = (texts[d.contentBlockIndex] ?? "") + d.delta.text;
  }
  return texts;
}

/** Block index → masked text, for the answer's text blocks the guardrail changed. */
function maskedByIndex(evaluation: GuardrailEvaluation, texts: readonly (string | undefined)[]): Map<number, string> {
  const out = new Map<number, string>();
  if (evaluation.action !== INTERVENED || evaluation.blocked) return out;
  // The evaluation's content is the references, then one block per text, in index order.
  const offset = evaluation.maskedBlocks.length - texts.filter((t) => t !== undefined).length;
  let k = offset;
  texts.forEach((text, index) => {
    if (text === undefined) return;
    const masked = evaluation.maskedBlocks[k++];
    if (masked !== undefined && masked !== text) out.set(index, masked);
  });
  return out;
}

/** The answer's content after the output assessment: the blocked message, or texts masked in place. */
function replaceTexts(blocks: readonly ContentBlock[], evaluation: GuardrailEvaluation, screened: Admitted, texts: readonly (string | undefined)[]): ContentBlock[] {
  if (evaluation.blocked) return [{ text: screened.guardrail.record.definition.blockedOutputsMessaging }];
  const masked = maskedByIndex(evaluation, texts);
  return blocks.map((b, i) => (masked.has(i) ? { text: masked.get(i)! } : b));
}
