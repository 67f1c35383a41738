// The policy seam. A middleware takes the model it wraps and returns a model with the same interface, so a
// backend never knows a policy exists and every front door and operation gets every policy. gateway/ composes
// them in one documented order; each policy is one file there.
import type { Model } from "./model.js";

export type ModelMiddleware = (inner: Model) => Model;

/** Applies middlewares so that the first one listed is the outermost (sees the call first). */
export function wrapModel(model: Model, middlewares: readonly ModelMiddleware[]): Model {
  let wrapped = model;
  for (let i = middlewares.length - 1; i >= 0; i--) wrapped = middlewares[i](wrapped);
  return wrapped;
}
