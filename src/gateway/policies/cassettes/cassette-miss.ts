// A replay that finds no cassette fails loudly, naming the request and the directory searched: never a
// silent fall-through to a backend that may not exist (or may cost money).
import { BedrockError } from "../../../core/errors.js";

export class CassetteMissError extends BedrockError {
  constructor(readonly request: string, readonly dir: string) {
    super("ResourceNotFoundException", `No cassette in ${dir} matches this request (cassettes mode: replay): ${request}`);
  }
}
