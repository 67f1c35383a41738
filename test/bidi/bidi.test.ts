// The bidirectional stream's tests in one process (see test/README.md, "One process per folder").
import "./echo-session.cases.js";
