// basalt.echo's audio: a user AUDIO content comes back as an assistant AUDIO content whose audioOutput
// events carry the very base64 the client sent, each written the moment its audioInput arrives (same
// bytes, same pacing), inside a completion of its own. Lets a client test its microphone-to-speaker
// plumbing — framing, base64, playback queue — without a speech model.
import { randomUUID } from "node:crypto";
import {
  audioOutput, completionEnd, completionStart, contentEnd, contentStart, usageEvent,
  type CompletionIds, type OutputEvent, type TokenCounts,
} from "./output-events.js";

const DEFAULT_AUDIO_OUTPUT = {
  mediaType: "audio/lpcm", sampleRateHertz: 24000, sampleSizeBits: 16, channelCount: 1, encoding: "base64", audioType: "SPEECH",
};
const NO_TOKENS: TokenCounts = { inputText: 0, outputText: 0, inputSpeech: 0, outputSpeech: 0 };

export class AudioEcho {
  private readonly ids: CompletionIds;
  private readonly contentId = randomUUID();
  private started = false;

  constructor(
    ids: Omit<CompletionIds, "completionId">,
    /** promptStart's audioOutputConfiguration: what the client said it plays. */
    private readonly audioOutputConfiguration: Record<string, unknown> | undefined,
    private readonly emit: (event: OutputEvent) => Promise<void>,
  ) {
    this.ids = { ...ids, completionId: randomUUID() };
  }

  async frame(base64: string): Promise<void> {
    if (!this.started) {
      this.started = true;
      await this.emit(completionStart(this.ids));
      await this.emit(contentStart(this.ids, this.contentId, "AUDIO", {
        audioOutputConfiguration: this.audioOutputConfiguration ?? DEFAULT_AUDIO_OUTPUT,
      }));
    }
    await this.emit(audioOutput(this.ids, this.contentId, base64));
  }

  /** The user's content ended: so does the echo (nothing is written for an audio content without frames). */
  async end(): Promise<void> {
    if (!this.started) return;
    await this.emit(contentEnd(this.ids, this.contentId, "AUDIO", "END_TURN"));
    await this.emit(usageEvent(this.ids, NO_TOKENS, NO_TOKENS));
    await this.emit(completionEnd(this.ids, "END_TURN"));
  }
}
