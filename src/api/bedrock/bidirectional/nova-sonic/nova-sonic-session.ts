// One Nova Sonic session: the order its input events must come in (sessionStart, promptStart, then
// contentStart … contentEnd blocks, promptEnd, sessionEnd), what each completed content does, and the turns
// it answers. A completed USER TEXT content that is interactive (the default) and a completed TOOL result
// are turns: each is answered through the Converse core. Turns run one at a time in arrival order — a turn
// sent while an answer streams waits for it, or with `bargeIn` a user text turn interrupts it as Nova's
// barge-in does (docs/bidirectional-stream.md) — while input keeps being read. Non-interactive USER/ASSISTANT text is history; SYSTEM text is the system prompt.
import type { CallContext, Model } from "../../../../core/model.js";
import type { TokenUsage } from "../../../../core/shapes.generated.js";
import { validationError } from "../../../../core/errors.js";
import { answerTurn } from "./answer-turn.js";
import { AudioEcho } from "./echo-audio.js";
import { Conversation } from "./conversation.js";
import type { ContentStart, InputEvent, PromptStart } from "./input-events.js";
import { usageEvent, type CompletionIds, type OutputEvent, type TokenCounts } from "./output-events.js";

export interface SessionOptions {
  readonly sessionId: string;
  readonly modelId: string;
  readonly model: Model;
  /** The call's context; each turn gets a signal that also fires when the session is torn down. */
  readonly ctx: CallContext;
  /** Whether the backend echoes audio (basalt.echo); any other backend answers text only. */
  readonly echoAudio: boolean;
  readonly emit: (event: OutputEvent) => Promise<void>;
  /** A failure after the session began (a turn's error): the stream ends with its exception. */
  readonly fail: (error: unknown) => void;
  /** Token totals so far, after each answer (for the call record). */
  readonly onUsage?: (total: TokenCounts) => void;
  /** A user text turn sent while an answer streams interrupts it (stopReason INTERRUPTED) instead of waiting. */
  readonly bargeIn?: boolean;
}

interface OpenContent {
  readonly start: ContentStart;
  readonly pieces: string[];
  readonly echo?: AudioEcho;
}

type Phase = "new" | "session" | "prompt" | "promptEnded" | "ended";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Turns queued behind the answer in flight: a client far ahead of the answers is refused, not buffered.
export const MAX_WAITING_TURNS = 32;

export class NovaSonicSession {
  private phase: Phase = "new";
  private prompt?: PromptStart;
  private readonly conversation = new Conversation();
  private readonly open = new Map<string, OpenContent>();
  private turns: Promise<void> = Promise.resolve();
  private readonly stop = new AbortController();
  private failed = false;
  private waiting = 0;
  /** Interrupts the answer in flight (barge-in). */
  private current?: AbortController;
  private total: TokenCounts = { inputText: 0, outputText: 0, inputSpeech: 0, outputSpeech: 0 };

  constructor(private readonly opts: SessionOptions) {}

  /** Whether the client has sent sessionEnd. */
  get ended(): boolean {
    return this.phase === "ended";
  }

  /** Resolves when every turn received so far has been answered (or the session failed). */
  settled(): Promise<void> {
    return this.turns;
  }

  /** Stops the answer in flight, if any, and every turn still waiting. */
  abort(): void {
    this.failed = true;
    this.stop.abort();
  }

  /** Takes one input event; a protocol error is thrown as a ValidationException. */
  async handle(event: InputEvent): Promise<void> {
    if (this.phase === "ended") throw validationError(`The session has ended; ${event.name} cannot follow sessionEnd.`);
    switch (event.name) {
      case "sessionStart":
        if (this.phase !== "new") throw validationError("sessionStart may be sent only once, as the first event.");
        this.conversation.configure(event.body);
        this.phase = "session";
        return;
      case "sessionEnd":
        this.expect(["session", "promptEnded"], "sessionEnd");
        this.phase = "ended";
        return;
      case "promptStart":
        this.expect(["session", "promptEnded"], "promptStart");
        this.prompt = event.body;
        this.conversation.useTools(event.body);
        this.phase = "prompt";
        return;
      case "promptEnd":
        this.inPrompt(event.body.promptName, "promptEnd");
        if (this.open.size) throw validationError(`promptEnd arrived while content ${[...this.open.keys()][0]} is still open; send its contentEnd first.`);
        this.phase = "promptEnded";
        return;
      case "contentStart":
        return this.startContent(event.body);
      case "textInput":
      case "toolResult":
        this.content(event.body, event.name === "textInput" ? "TEXT" : "TOOL", event.name).pieces.push(event.body.content);
        return;
      case "audioInput":
        return this.audio(event.body);
      case "contentEnd":
        return this.endContent(event.body);
    }
  }

  private expect(phases: Phase[], name: string): void {
    if (phases.includes(this.phase)) return;
    if (this.phase === "new") throw validationError(`The first event must be sessionStart; got ${name}.`);
    if (this.phase === "prompt") throw validationError(`${name} cannot be sent while prompt ${this.prompt!.promptName} is open; send promptEnd first.`);
    throw validationError(`${name} cannot be sent now: no prompt is open.`);
  }

  private inPrompt(promptName: string, name: string): void {
    if (this.phase !== "prompt") this.expect(["prompt"], name);
    if (promptName !== this.prompt!.promptName) {
      throw validationError(`${name} names prompt ${promptName}, but the open prompt is ${this.prompt!.promptName}.`);
    }
  }

  private startContent(start: ContentStart): void {
    this.inPrompt(start.promptName, "contentStart");
    if (this.open.has(start.contentName)) throw validationError(`Content ${start.contentName} is already open.`);
    if (start.type === "TOOL" && !start.toolResultInputConfiguration) {
      throw validationError("A TOOL contentStart needs toolResultInputConfiguration with the toolUseId it answers.");
    }
    let echo: AudioEcho | undefined;
    if (start.type === "AUDIO") {
      if (!this.opts.echoAudio) {
        throw validationError(
          `The model ${this.opts.modelId} is served by a text-only backend and cannot take audio input. Send TEXT content (textInput), or serve the model with basalt.echo to test audio.`,
        );
      }
      echo = new AudioEcho(this.ids(), this.prompt!.audioOutputConfiguration, this.opts.emit);
    }
    this.open.set(start.contentName, { start, pieces: [], echo });
  }

  private content(body: { promptName: string; contentName: string }, type: ContentStart["type"], name: string): OpenContent {
    this.inPrompt(body.promptName, name);
    const open = this.open.get(body.contentName);
    if (!open) throw validationError(`${name} names content ${body.contentName}, which is not open; send contentStart first.`);
    if (open.start.type !== type) throw validationError(`${name} cannot go into ${open.start.type} content ${body.contentName}.`);
    return open;
  }

  private async audio(body: { promptName: string; contentName: string; content: string }): Promise<void> {
    const open = this.content(body, "AUDIO", "audioInput");
    if (!BASE64.test(body.content) || body.content.length % 4 !== 0) throw validationError("audioInput content must be base64.");
    await open.echo!.frame(body.content);
  }

  private async endContent(body: { promptName: string; contentName: string }): Promise<void> {
    this.inPrompt(body.promptName, "contentEnd");
    const open = this.open.get(body.contentName);
    if (!open) throw validationError(`contentEnd names content ${body.contentName}, which is not open.`);
    this.open.delete(body.contentName);
    const { start, pieces } = open;
    const text = pieces.join("");
    if (start.type === "AUDIO") return open.echo!.end();
    if (start.type === "TOOL") {
      const toolUseId = start.toolResultInputConfiguration!.toolUseId;
      return this.turn(() => this.conversation.add("user", [{ toolResult: { toolUseId, content: [{ text }] } }]));
    }
    switch (start.role) {
      case "SYSTEM":
      case "SYSTEM_SPEECH":
        this.conversation.addSystem(text);
        return;
      case "ASSISTANT":
        return this.later(() => this.conversation.add("assistant", [{ text }]));
      case "USER":
        if (start.interactive === false) return this.later(() => this.conversation.add("user", [{ text }]));
        if (this.opts.bargeIn) this.current?.abort();
        return this.turn(() => this.conversation.add("user", [{ text }]));
      case "TOOL":
        throw validationError("TEXT content cannot have the role TOOL; send tool results as TOOL content.");
    }
  }

  /** Changes the conversation after the turns already queued (their answers come first). */
  private later(change: () => void): void {
    this.turns = this.turns.then(() => {
      if (!this.failed) change();
    });
  }

  /** Queues a turn: `addInput` puts its input into the conversation when its time comes, then it is answered. */
  private turn(addInput: () => void): void {
    if (this.waiting >= MAX_WAITING_TURNS) {
      throw validationError(`${MAX_WAITING_TURNS} turns are already waiting for an answer. Wait for the answers before sending more turns.`);
    }
    this.waiting++;
    this.turns = this.turns.then(async () => {
      this.waiting--;
      if (this.failed) return;
      addInput();
      const interrupt = new AbortController();
      this.current = interrupt;
      try {
        const signal = AbortSignal.any([this.opts.ctx.signal, this.stop.signal, interrupt.signal]);
        const ctx: CallContext = { ...this.opts.ctx, signal };
        const answer = await answerTurn({
          model: this.opts.model,
          input: this.conversation.request(),
          ctx,
          ids: this.ids(),
          emit: this.opts.emit,
          usageEvent: (ids, usage) => this.usage(ids, usage),
          interrupt: interrupt.signal,
        });
        if (answer.content.length) this.conversation.add("assistant", answer.content);
      } catch (err) {
        if (this.failed) return;
        this.failed = true;
        this.opts.fail(err);
      } finally {
        if (this.current === interrupt) this.current = undefined;
      }
    });
  }

  private usage(ids: CompletionIds, usage: TokenUsage | undefined): OutputEvent {
    const delta: TokenCounts = { inputText: usage?.inputTokens ?? 0, outputText: usage?.outputTokens ?? 0, inputSpeech: 0, outputSpeech: 0 };
    this.total = {
      inputText: this.total.inputText + delta.inputText,
      outputText: this.total.outputText + delta.outputText,
      inputSpeech: 0,
      outputSpeech: 0,
    };
    this.opts.onUsage?.(this.total);
    return usageEvent(ids, delta, this.total);
  }

  private ids(): Omit<CompletionIds, "completionId"> {
    return { sessionId: this.opts.sessionId, promptName: this.prompt!.promptName };
  }
}
