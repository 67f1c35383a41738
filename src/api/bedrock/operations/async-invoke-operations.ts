// Plugs the three async-invocation operations into the runtime door (app.ts).
import type { AsyncInvokeService } from "../../../jobs/async-invoke-service.js";
import type { RuntimeDoor } from "../runtime-door.js";
import { getAsyncInvoke } from "./get-async-invoke.js";
import { listAsyncInvokes } from "./list-async-invokes.js";
import { startAsyncInvoke } from "./start-async-invoke.js";

export function plugAsyncInvokes(door: RuntimeDoor, service: AsyncInvokeService): void {
  door.handle("StartAsyncInvoke", startAsyncInvoke(service));
  door.handle("GetAsyncInvoke", getAsyncInvoke(service));
  door.handle("ListAsyncInvokes", listAsyncInvokes(service));
}
