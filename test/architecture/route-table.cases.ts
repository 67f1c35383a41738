// The path-template router every door uses: templates as the service models write them, labels decoded
// after the split, literals before labels, and no prototype lookups.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RouteTable } from "../../src/server/route-table.js";
import { ROUTES as RUNTIME } from "../../src/api/bedrock/routes.generated.js";
import { ROUTES as CONTROL_PLANE } from "../../src/api/control-plane/routes.generated.js";

const table = new RouteTable(RUNTIME.map((r) => ({ method: r.method, path: r.path, value: r.operation })));

test("every runtime operation of the service model has a route", () => {
  assert.equal(RUNTIME.length, 11);
  assert.equal(table.match("POST", "/model/basalt.echo/converse")?.value, "Converse");
  assert.equal(table.match("POST", "/model/m/invoke-with-bidirectional-stream")?.value, "InvokeModelWithBidirectionalStream");
  assert.equal(table.match("GET", "/async-invoke")?.value, "ListAsyncInvokes");
  assert.equal(table.match("POST", "/async-invoke")?.value, "StartAsyncInvoke");
  const apply = table.match("POST", "/guardrail/gr-1/version/DRAFT/apply");
  assert.equal(apply?.value, "ApplyGuardrail");
  assert.deepEqual({ ...apply?.labels }, { guardrailIdentifier: "gr-1", guardrailVersion: "DRAFT" });
});

test("labels are decoded after the split, so an encoded '/' stays inside the model id", () => {
  const arn = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0";
  const m = table.match("POST", `/model/${encodeURIComponent(arn)}/converse`);
  assert.equal(m?.labels.modelId, arn);
  assert.equal(table.match("POST", "/model/%E0%A4%A/converse"), undefined, "a bad escape matches nothing");
});

test("wrong method, empty label, extra or missing segments match nothing", () => {
  assert.equal(table.match("GET", "/model/m/converse"), undefined);
  assert.equal(table.match("POST", "/model//converse"), undefined);
  assert.equal(table.match("POST", "/model/m/converse/"), undefined);
  assert.equal(table.match("POST", "/model/m"), undefined);
  assert.equal(table.match("POST", "model/m/converse"), undefined);
});

test("prototype names in a path match nothing", () => {
  for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
    assert.equal(table.match("POST", `/model/m/${name}`), undefined, name);
    assert.equal(table.match("POST", `/${name}`), undefined, name);
    assert.equal(table.match(name, "/model/m/converse"), undefined, name);
  }
  const m = table.match("POST", "/model/__proto__/converse");
  assert.equal(m?.labels.modelId, "__proto__", "as a label value it is just a string");
  assert.equal(Object.getPrototypeOf(m?.labels), null);
});

test("a literal segment wins over a label, and a label is tried when the literal leads nowhere", () => {
  const cp = new RouteTable(CONTROL_PLANE.map((r) => ({ method: r.method, path: r.path, value: r.operation })));
  assert.equal(cp.match("POST", "/evaluation-jobs/batch-delete")?.value, "BatchDeleteEvaluationJob");
  assert.equal(cp.match("GET", "/evaluation-jobs/batch-delete")?.value, "GetEvaluationJob");
  assert.equal(cp.match("GET", "/foundation-models")?.value, "ListFoundationModels");
  assert.equal(cp.match("GET", "/foundation-models/amazon.nova-pro-v1:0")?.labels.modelIdentifier, "amazon.nova-pro-v1:0");
  assert.equal(CONTROL_PLANE.length, 108);
});

test("two routes for one method and template are refused at start-up", () => {
  assert.throws(() => new RouteTable([
    { method: "GET", path: "/a/{x}", value: 1 },
    { method: "GET", path: "/a/{y}", value: 2 },
  ]), /two routes/);
});
