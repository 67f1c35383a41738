// Issue 10, operating Basalt, the slow part (npm run test:integration): stopping under a supervisor, upstream
// faults through boto3 and the JS SDK against the real CLI, the production install. Run one module alone with
// `node --import tsx --test test/ops/<name>.cases.ts`.
import "./shutdown.cases.js";
import "./upstream-faults.cases.js";
import "./production-install.cases.js";
