// The service models (botocore JSON form), each parsed once and shared: validators and header members are
// compiled from them rather than copied by hand (error statuses and routes are generated from them at build
// time). The runtime's model is read at start; the control plane's (~650 KB) when first asked for.
import { readFileSync } from "node:fs";

export interface ShapeRef { shape: string; location?: string; locationName?: string }
export interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  union?: boolean;
  document?: boolean;
  /** Values beneath this shape are never quoted in error messages. */
  sensitive?: boolean;
  error?: { httpStatusCode: number };
  exception?: boolean;
}
interface ServiceModel { shapes: Record<string, Shape> }

// src/ and dist/ sit at the same depth, so these paths work from both.
function loadModel(file: string): ServiceModel {
  return JSON.parse(readFileSync(new URL(`../../spec/${file}`, import.meta.url), "utf8")) as ServiceModel;
}

/** The Bedrock Runtime model (spec/bedrock-runtime.service-2.json). */
export const serviceModel: ServiceModel = loadModel("bedrock-runtime.service-2.json");

let controlPlane: ServiceModel | undefined;

/** The control plane's shapes (spec/bedrock.service-2.json): guardrail definitions, batch jobs. */
export function controlPlaneShapes(): Readonly<Record<string, Shape>> {
  controlPlane ??= loadModel("bedrock.service-2.json");
  return controlPlane.shapes;
}

export function shape(name: string): Shape {
  const s = serviceModel.shapes[name];
  if (!s) throw new Error(`shape ${name} is not in the service model`);
  return s;
}
