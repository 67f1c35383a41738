// The AWS SDK pieces only a bedrock upstream needs (the credential chain, the request signer and its SHA-256),
// loaded the first time one is used: a node without a bedrock provider never loads them (~20 MB of RSS at
// idle, and start-up time).
import type { Sha256 } from "@aws-crypto/sha256-js";
import type { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export interface AwsSigning {
  SignatureV4: typeof SignatureV4;
  Sha256: typeof Sha256;
  fromNodeProviderChain: typeof fromNodeProviderChain;
}

let loading: Promise<AwsSigning> | undefined;

export function awsSigning(): Promise<AwsSigning> {
  loading ??= Promise.all([import("@smithy/signature-v4"), import("@aws-crypto/sha256-js"), import("@aws-sdk/credential-providers")]).then(
    ([signer, sha, chain]) => ({ SignatureV4: signer.SignatureV4, Sha256: sha.Sha256, fromNodeProviderChain: chain.fromNodeProviderChain }),
  );
  return loading;
}

/** The AWS SDK's default credential chain (with a named profile), made when first asked for credentials. */
export function lazyCredentialChain(profile: string | undefined): AwsCredentialIdentityProvider {
  let chain: AwsCredentialIdentityProvider | undefined;
  return async (): Promise<AwsCredentialIdentity> => {
    chain ??= (await awsSigning()).fromNodeProviderChain(profile ? { profile } : {});
    return chain();
  };
}
