// Echo's structured output and strict tools (README, "The basalt.echo model").
// - `outputConfig.textFormat` `{type: "json_schema", structure: {jsonSchema: {schema}}}`: the reply is the
//   smallest JSON document valid against the schema (required properties only, `minItems` items, numbers at
//   their lower bound, `false`, the first enum/const/anyOf choice), strings filled in order with the tokens
//   of the last user message.
// - `toolSpec.strict: true`: a `/tool` line's input must be valid against the tool's input schema.
// - In both, the schema rules Claude on Bedrock enforces and the real service reports (recordings
//   amazon-bedrock-strict-open-schema-error.json and issue-17197-max-items-error.json): an object schema
//   must set `additionalProperties: false`, and structured output refuses `maxItems`.
import { validationError } from "../../core/errors.js";
import type { ConverseInput } from "../../core/model.js";
import type { JsonValue, ToolConfiguration } from "../../core/shapes.generated.js";
import { firstProblem, maxItemsAt, minimalInstance, openObjectAt, WordSource, type Schema } from "./json-schema-lite.js";

const OPEN_OBJECT = "For 'object' type, 'additionalProperties' must be explicitly set to false";

/** The schema of a json_schema text format, or undefined when the request asks for plain text. */
export function outputSchema(input: ConverseInput): Schema | undefined {
  const format = input.outputConfig?.textFormat;
  if (!format || format.type !== "json_schema" || !("jsonSchema" in format.structure)) return undefined;
  let schema: unknown;
  try {
    schema = JSON.parse(format.structure.jsonSchema.schema);
  } catch {
    throw validationError("The model returned the following errors: output_config.format.schema: the schema is not valid JSON");
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw validationError("The model returned the following errors: output_config.format.schema: Input should be a valid dictionary");
  }
  const s = schema as Schema;
  if (openObjectAt(s) !== undefined) throw validationError(`The model returned the following errors: output_config.format.schema: ${OPEN_OBJECT}`);
  if (maxItemsAt(s) !== undefined) {
    throw validationError("The model returned the following errors: output_config.format.schema: For 'array' type, property 'maxItems' is not supported");
  }
  return s;
}

/** The JSON reply for a schema, strings taken from `words`. */
export function structuredReply(schema: Schema, words: readonly string[]): string {
  return JSON.stringify(minimalInstance(schema, new WordSource(words)));
}

/** Strict tools' schemas must close every object (checked for every strict tool of the request). */
export function checkStrictTools(toolConfig: ToolConfiguration | undefined): void {
  toolConfig?.tools.forEach((tool, i) => {
    if (!("toolSpec" in tool) || tool.toolSpec.strict !== true || !("json" in tool.toolSpec.inputSchema)) return;
    const schema = tool.toolSpec.inputSchema.json;
    if (typeof schema === "object" && schema !== null && !Array.isArray(schema) && openObjectAt(schema as Schema) !== undefined) {
      throw validationError(`The model returned the following errors: tools.${i}.custom: ${OPEN_OBJECT}`);
    }
  });
}

/** A strict tool's input must match its schema: a `/tool` line that does not is refused. */
export function checkStrictInput(toolConfig: ToolConfiguration | undefined, name: string, input: JsonValue): void {
  const tool = toolConfig?.tools.find((t) => "toolSpec" in t && t.toolSpec.name === name);
  if (!tool || !("toolSpec" in tool) || tool.toolSpec.strict !== true || !("json" in tool.toolSpec.inputSchema)) return;
  const schema = tool.toolSpec.inputSchema.json;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return;
  const problem = firstProblem(input, schema as Schema);
  if (problem) {
    throw validationError(`The input of the /tool ${name} line does not match the strict tool's input schema: ${problem}. Fix the input and try again.`);
  }
}
