// A Nova Sonic session Basalt serves itself: each input chunk is one Nova Sonic input event, output events
// are JSON-encoded into chunks, turns go through the served model (nova-sonic-session.ts).
import { randomUUID } from "node:crypto";
import type { CallContext, Model } from "../../../../core/model.js";
import type { SessionOutput, SessionProtocol } from "../session-protocol.js";
import { parseInputEvent } from "./input-events.js";
import { NovaSonicSession } from "./nova-sonic-session.js";

export function servedSession(opts: {
  modelId: string;
  model: Model;
  ctx: CallContext;
  echoAudio: boolean;
  bargeIn?: boolean;
  output: SessionOutput;
}): SessionProtocol {
  const { output } = opts;
  const session = new NovaSonicSession({
    sessionId: randomUUID(),
    modelId: opts.modelId,
    model: opts.model,
    ctx: opts.ctx,
    echoAudio: opts.echoAudio,
    bargeIn: opts.bargeIn,
    emit: (event) => output.send(Buffer.from(JSON.stringify(event), "utf8")),
    fail: (err) => output.fail(err),
    onUsage: (total) => output.usage(total.inputText + total.inputSpeech, total.outputText + total.outputSpeech),
  });
  return {
    input: (bytes) => session.handle(parseInputEvent(bytes)),
    get ended() {
      return session.ended;
    },
    finish: () => session.settled(),
    abort: () => session.abort(),
  };
}
