// The control plane's inventories of things Basalt never has — custom and imported models, provisioned
// throughput, prompt routers, evaluation and customization jobs, … — answered as what they are: empty lists,
// in each operation's own output member (read from spec/bedrock.service-2.json). Tools that survey an account
// (model pickers listing foundation, custom and provisioned models together) then work as on a fresh account,
// instead of failing on an operation Basalt has no use for. Model invocation logging is not configured: `{}`.
import { controlPlaneShapes } from "../../../service-model/service-model.js";
import type { ControlPlaneOperationName } from "../routes.generated.js";
import type { ControlPlaneHandler } from "../control-plane-door.js";
import { answer } from "../guardrails/guardrail-request.js";

const EMPTY_LISTS: readonly ControlPlaneOperationName[] = [
  "ListAdvancedPromptOptimizationJobs",
  "ListAutomatedReasoningPolicies",
  "ListCustomModelDeployments",
  "ListCustomModels",
  "ListEnforcedGuardrailsConfiguration",
  "ListEvaluationJobs",
  "ListImportedModels",
  "ListMarketplaceModelEndpoints",
  "ListModelCopyJobs",
  "ListModelCustomizationJobs",
  "ListModelImportJobs",
  "ListPromptRouters",
  "ListProvisionedModelThroughputs",
];

/** The list members of an operation's output shape, each answered empty. */
function emptyBody(operation: string): Record<string, unknown[]> {
  const shapes = controlPlaneShapes();
  const output = shapes[`${operation}Response`];
  const body: Record<string, unknown[]> = {};
  for (const [name, ref] of Object.entries(output?.members ?? {})) if (shapes[ref.shape]?.type === "list") body[name] = [];
  return body;
}

export function emptyInventoryOperations(): [ControlPlaneOperationName, ControlPlaneHandler][] {
  const lists = EMPTY_LISTS.map((operation): [ControlPlaneOperationName, ControlPlaneHandler] => {
    let body: Record<string, unknown[]> | undefined;
    return [operation, async (call) => {
      await call.readBody();
      // Read from the control plane's model on first use (it is loaded lazily).
      body ??= emptyBody(operation);
      answer(call, 200, body);
    }];
  });
  return [
    ...lists,
    ["GetModelInvocationLoggingConfiguration", async (call) => {
      await call.readBody();
      answer(call, 200, {});
    }],
  ];
}
