// Which served models are relayed as a duplex stream: those of a `bedrock` provider whose upstream model
// speaks the bidirectional protocol itself — a Nova Sonic id (`…nova-sonic…`, `…nova-2-sonic…`) in the
// model's id or upstream name. Other models, Bedrock ones included, are served through the Converse core.
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { ModelInfo } from "../../../../core/model-info.js";
import type { BedrockProviderOptions, ProviderOptions } from "../../../../core/provider-options.js";
import { lazyCredentialChain } from "../../../../providers/bedrock/aws-signing.js";
import type { DuplexTarget } from "./bedrock-duplex.js";

const SONIC = /nova(-\d+)?-sonic/;

export type RelayTargetOf = (info: ModelInfo) => { target: DuplexTarget; upstreamModelId: string } | undefined;

export function bedrockRelayTargets(providers: Readonly<Record<string, ProviderOptions>>): RelayTargetOf {
  const targets = new Map<string, DuplexTarget>();
  const targetOf = (name: string, p: BedrockProviderOptions): DuplexTarget => {
    let t = targets.get(name);
    if (!t) {
      // The provider's credential chain, resolved when a session opens (as the bedrock provider does).
      const credentials: AwsCredentialIdentityProvider = lazyCredentialChain(p.profile);
      t = { endpoint: p.endpoint ?? `https://bedrock-runtime.${p.region}.amazonaws.com`, region: p.region, credentials };
      targets.set(name, t);
    }
    return t;
  };
  return (info) => {
    const provider = providers[info.provider];
    if (provider?.type !== "bedrock") return undefined;
    const upstreamModelId = info.model ?? info.id;
    if (!SONIC.test(info.id) && !SONIC.test(upstreamModelId)) return undefined;
    return { target: targetOf(info.provider, provider), upstreamModelId };
  };
}
