// The bidirectional stream's tests in one process (see test/README.md, "One process per folder").
import "./echo-session.cases.js";
import "./upstream-session.cases.js";
import "./signed-session.cases.js";
import "./session-lifecycle.cases.js";
import "./relay-session.cases.js";
import "./event-signature.cases.js";
import "./raw-frames.cases.js";
import "./barge-in.cases.js";
