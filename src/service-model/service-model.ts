// The Bedrock Runtime service model (botocore JSON form), loaded once: validators and header members are
// compiled from it rather than copied by hand (error statuses and routes are generated from it at build time).
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

// src/ and dist/ sit at the same depth, so this path works from both.
const specUrl = new URL("../../spec/bedrock-runtime.service-2.json", import.meta.url);
export const serviceModel: ServiceModel = JSON.parse(readFileSync(specUrl, "utf8"));

export function shape(name: string): Shape {
  const s = serviceModel.shapes[name];
  if (!s) throw new Error(`shape ${name} is not in the service model`);
  return s;
}
